/// open → acknowledged → resolved; an incident may resolve without an acknowledgement.
public enum IncidentState: String, Sendable, CaseIterable {
    case open
    case acknowledged
    case resolved
}
