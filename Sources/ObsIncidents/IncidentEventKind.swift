/// The kinds of timeline rows.
public enum IncidentEventKind: String, Sendable, CaseIterable {
    case started
    case detected
    case notified
    case acknowledged
    case note
    case alertJoined = "alert_joined"
    case alertResolved = "alert_resolved"
    case mitigated
    case resolved
}
