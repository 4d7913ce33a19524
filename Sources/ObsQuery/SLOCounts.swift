/// An SLO's requests over one window: all of them, and the bad ones (failed, or slower than
/// the threshold).
public struct SLOCounts: Sendable, Equatable {
    public var total: Int64
    public var bad: Int64

    public init(total: Int64 = 0, bad: Int64 = 0) {
        self.total = total
        self.bad = bad
    }

    public var good: Int64 { total - bad }

    /// good ÷ total; nil without traffic (unknown, not 100 %).
    public var sli: Double? { total > 0 ? Double(good) / Double(total) : nil }

    /// The share of bad requests as a multiple of what the objective allows; nil without traffic.
    public func burnRate(objective: Double) -> Double? {
        guard total > 0 else { return nil }
        return Double(bad) / Double(total) / (1 - objective)
    }

    mutating func add(_ other: SLOCounts) {
        total += other.total
        bad += other.bad
    }
}
