import ObsCore

/// How a rule's last evaluation went, as `/api/v1/rules` reports it.
public enum RuleHealth: String, Sendable, Equatable {
    /// Not evaluated since it was loaded.
    case unknown
    case ok
    /// The last evaluation failed (`lastError` says why); the rule's alerts kept their state.
    case err
}

/// A rule's last evaluation.
public struct RuleStatus: Sendable, Equatable {
    public var health: RuleHealth = .unknown
    public var lastError: String?
    public var lastEvaluation: Timestamp?
    public var evaluationSeconds: Double = 0

    public init() {}
}

/// A group's last evaluation (the sum of its rules').
public struct GroupStatus: Sendable, Equatable {
    public var lastEvaluation: Timestamp?
    public var evaluationSeconds: Double = 0

    public init() {}
}

/// What the engine reports as it works, for the daemon's self metrics.
public struct RuleEngineObserver: Sendable {
    public var ruleEvaluated: @Sendable (_ rule: RuleKey, _ seconds: Double, _ failed: Bool) -> Void
    public var groupEvaluated: @Sendable (_ group: String, _ time: Timestamp, _ seconds: Double) -> Void
    /// Active alerts after a change: how many pending and firing.
    public var alertsCounted: @Sendable (_ pending: Int, _ firing: Int) -> Void

    public init(
        ruleEvaluated: @escaping @Sendable (_ rule: RuleKey, _ seconds: Double, _ failed: Bool) -> Void = { _, _, _ in },
        groupEvaluated: @escaping @Sendable (_ group: String, _ time: Timestamp, _ seconds: Double) -> Void = { _, _, _ in },
        alertsCounted: @escaping @Sendable (_ pending: Int, _ firing: Int) -> Void = { _, _ in }
    ) {
        self.ruleEvaluated = ruleEvaluated
        self.groupEvaluated = groupEvaluated
        self.alertsCounted = alertsCounted
    }
}
