import ObsCore

/// Why a silence was refused.
public enum SilenceError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingID
    case noMatchers
    case matchesEveryAlert(matchers: String)
    case endsNotAfterStart(startsAt: Timestamp, endsAt: Timestamp)

    public var description: String {
        switch self {
        case .missingID:
            "silence: id is empty"
        case .noMatchers:
            "silence: at least one matcher is required"
        case .matchesEveryAlert(let matchers):
            "silence \(matchers): every matcher matches the empty string, so it would silence every alert; "
                + "at least one matcher must not match the empty string"
        case .endsNotAfterStart(let startsAt, let endsAt):
            "silence: ends_at must be after starts_at (starts_at \(startsAt.rfc3339), ends_at \(endsAt.rfc3339))"
        }
    }
}
