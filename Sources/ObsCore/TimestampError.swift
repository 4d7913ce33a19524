/// Why a time value could not become a `Timestamp`.
public enum TimestampError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Neither RFC 3339, `YYYY-MM-DD HH:MM:SS[,fff]`, nor an epoch number.
    case malformed
    /// A well-formed time outside 1970-01-01 … 2262-04-11 (nanoseconds in an Int64).
    case outOfRange
    /// A negative epoch number.
    case negative

    public var description: String {
        switch self {
        case .malformed:
            "is not a timestamp (expected RFC 3339, \"YYYY-MM-DD HH:MM:SS,fff\" or epoch s/ms/µs/ns)"
        case .outOfRange:
            "is outside the supported range 1970-01-01T00:00:00Z to 2262-04-11T23:47:16Z"
        case .negative:
            "is a negative epoch time"
        }
    }
}
