/// Everything wrong with a set of rule files, one located problem per line:
/// `rules/checkout.yaml:12:9: group "checkout", rule 2 "CheckoutLatencyHigh": unknown function "p59"`.
public struct RuleCheckError: Error, Sendable, CustomStringConvertible {
    public var problems: [RuleProblem]

    public init(problems: [RuleProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
