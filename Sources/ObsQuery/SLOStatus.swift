import ObsCore

/// Where an SLO stands at an instant: its SLI and budget over its window (or over
/// [since, at) when asked), and how fast the budget burns over the standard windows.
public struct SLOStatus: Sendable, Equatable {
    /// The burn-rate windows every status reports, as `/api/v1/slos` names them.
    public static let burnRateWindows: [(name: String, seconds: Int64)] = [("5m", 300), ("1h", 3600), ("6h", 21_600), ("3d", 259_200)]

    public var slo: SLODefinition
    /// The period of `counts`, [from, to) in unix seconds.
    public var from: Int64
    public var to: Int64
    public var counts: SLOCounts
    /// One per `burnRateWindows`, in that order; nil without traffic in the window.
    public var burnRates: [Double?]

    public init(slo: SLODefinition, from: Int64, to: Int64, counts: SLOCounts, burnRates: [Double?]) {
        self.slo = slo
        self.from = from
        self.to = to
        self.counts = counts
        self.burnRates = burnRates
    }

    /// 1 − burn rate over the period: 1 all left, 0 spent, negative overspent; nil without traffic.
    public var budgetRemaining: Double? { counts.burnRate(objective: slo.objective).map { 1 - $0 } }

    /// The budget left as minutes of full outage: budget remaining × allowance × period.
    public var budgetRemainingMinutes: Double? {
        budgetRemaining.map { $0 * slo.allowance * Double(to - from) / 60 }
    }

    /// The 1 h burn rate.
    public var currentBurnRate: Double? { burnRates.count > 1 ? burnRates[1] : nil }

    /// Seconds until the budget is gone at the current 1 h burn rate: 0 when it is already
    /// gone, nil when it is not burning (or nothing is known).
    public var exhaustedInSeconds: Double? {
        guard let remaining = budgetRemaining else { return nil }
        if remaining <= 0 { return 0 }
        guard let rate = currentBurnRate, rate > 0 else { return nil }
        return remaining * Double(to - from) / rate
    }
}
