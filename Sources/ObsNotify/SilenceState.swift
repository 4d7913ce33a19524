/// Where a silence is in its lifetime at a given moment.
public enum SilenceState: String, Sendable, Equatable, CaseIterable {
    /// Before `startsAt`.
    case pending
    /// From `startsAt` (inclusive) to `endsAt` (exclusive): matching alerts are muted.
    case active
    /// From `endsAt` on.
    case expired
}
