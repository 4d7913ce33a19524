/// One output series of a rule's expression at one evaluation: its labels, its value (for a
/// comparison, the series side's, whether or not it holds) and whether the condition holds.
public struct RuleSample: Sendable, Equatable {
    public var labels: [String: String]
    public var value: Double?
    public var holds: Bool

    public init(labels: [String: String], value: Double?, holds: Bool) {
        self.labels = labels
        self.value = value
        self.holds = holds
    }
}
