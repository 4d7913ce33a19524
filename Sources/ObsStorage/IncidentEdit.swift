/// What an edit of a stored incident decided, inside the transaction that read it: so two
/// people acknowledging at once see one acknowledgement, and both see it.
public enum IncidentEdit: Sendable, Equatable {
    /// The incident as changed is stored, with these rows added to its timeline.
    case changed([IncidentEventRecord])
    /// Nothing to store (acknowledging an acknowledged incident).
    case unchanged
    /// Refused, with the reason (resolving a resolved incident).
    case refused(String)
}
