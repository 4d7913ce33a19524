/// Something wrong with a rule file, located at the key that is wrong.
public struct RuleProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file the problem is in (also `location.file` when there is a location).
    public var file: String
    /// Nil only when the file itself is the problem (missing, unreadable) and has no position.
    public var location: RuleLocation?
    /// `group "checkout", rule 2 "CheckoutLatencyHigh"`, `group "checkout"`, `slo "checkout-latency"`, or nil.
    public var context: String?
    public var message: String

    public init(location: RuleLocation, context: String? = nil, message: String) {
        self.file = location.file
        self.location = location
        self.context = context
        self.message = message
    }

    public init(file: String, context: String? = nil, message: String) {
        self.file = file
        self.location = nil
        self.context = context
        self.message = message
    }

    /// `rules/checkout.yaml:12:9: group "checkout", rule 2 "CheckoutLatencyHigh": for: "5x" is not a duration (e.g. 30s, 5m, 1h)`
    public var description: String {
        var text = location?.description ?? file
        if let context { text += ": \(context)" }
        return text + ": \(message)"
    }
}
