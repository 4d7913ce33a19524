import ObsCore

/// A set of silences queried together, as the notification pipeline asks "is this alert
/// silenced now, and by which silences?".
public struct Silences: Sendable, Equatable {
    public var all: [Silence]

    public init(_ silences: [Silence]) {
        all = silences
    }

    /// Ids of the silences active at `now` that match the alert, in stored order.
    public func silencing(_ labels: [String: String], at now: Timestamp) -> [String] {
        all.filter { $0.state(at: now) == .active && $0.matches(labels) }.map(\.id)
    }

    public func isSilenced(_ labels: [String: String], at now: Timestamp) -> Bool {
        all.contains { $0.state(at: now) == .active && $0.matches(labels) }
    }

    public func active(at now: Timestamp) -> [Silence] {
        all.filter { $0.state(at: now) == .active }
    }
}
