/// A `groups:` entry: rules evaluated together every `interval`.
public struct RuleGroupSpec: Sendable, Equatable {
    public var name: String
    /// How often the group's rules are evaluated; `10s` unless written.
    public var interval: Duration
    /// How far behind now each evaluation looks; `0s` unless written.
    public var queryOffset: Duration
    /// Added to every alert of the group.
    public var labels: [String: String]
    public var rules: [AlertingRuleSpec]
    /// Of the group's `name:` key (of the group's mapping when it has none).
    public var location: RuleLocation

    public static let defaultInterval: Duration = .seconds(10)
    public static let defaultQueryOffset: Duration = .zero

    public init(
        name: String,
        interval: Duration = RuleGroupSpec.defaultInterval,
        queryOffset: Duration = RuleGroupSpec.defaultQueryOffset,
        labels: [String: String] = [:],
        rules: [AlertingRuleSpec] = [],
        location: RuleLocation
    ) {
        self.name = name
        self.interval = interval
        self.queryOffset = queryOffset
        self.labels = labels
        self.rules = rules
        self.location = location
    }
}
