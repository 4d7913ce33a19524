/// One output series of a rule's expression at one evaluation: its labels, its value (for a
/// comparison, the series side's, whether or not it holds) and whether the condition holds.
public struct RuleSample: Sendable, Equatable {
    public var labels: [String: String]
    public var value: Double?
    public var holds: Bool
    /// The condition can be neither true nor false (an SLO without traffic): the alert of
    /// this series, if any, keeps its state exactly, and none is created.
    public var unknown: Bool

    public init(labels: [String: String], value: Double?, holds: Bool, unknown: Bool = false) {
        self.labels = labels
        self.value = value
        self.holds = holds
        self.unknown = unknown
    }
}
