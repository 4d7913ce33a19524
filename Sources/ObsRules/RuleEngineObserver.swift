import ObsCore

/// What the engine reports as it works, for the daemon's self metrics.
public struct RuleEngineObserver: Sendable {
    public var ruleEvaluated: @Sendable (_ rule: RuleKey, _ seconds: Double, _ failed: Bool) -> Void
    public var groupEvaluated: @Sendable (_ group: String, _ time: Timestamp, _ seconds: Double) -> Void
    /// Active alerts after a change: how many pending and firing.
    public var alertsCounted: @Sendable (_ pending: Int, _ firing: Int) -> Void
    /// Series the anomaly detectors follow, after a group's evaluation.
    public var anomalySeriesCounted: @Sendable (_ series: Int) -> Void

    public init(
        ruleEvaluated: @escaping @Sendable (_ rule: RuleKey, _ seconds: Double, _ failed: Bool) -> Void = { _, _, _ in },
        groupEvaluated: @escaping @Sendable (_ group: String, _ time: Timestamp, _ seconds: Double) -> Void = { _, _, _ in },
        alertsCounted: @escaping @Sendable (_ pending: Int, _ firing: Int) -> Void = { _, _ in },
        anomalySeriesCounted: @escaping @Sendable (_ series: Int) -> Void = { _ in }
    ) {
        self.ruleEvaluated = ruleEvaluated
        self.groupEvaluated = groupEvaluated
        self.alertsCounted = alertsCounted
        self.anomalySeriesCounted = anomalySeriesCounted
    }
}
