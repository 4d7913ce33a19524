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
