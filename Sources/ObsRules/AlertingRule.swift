import ObsCore
import ObsQuery

/// An alerting rule ready to evaluate: its expression parsed and type-checked, its label and
/// annotation templates parsed, the group's labels merged under its own.
public struct AlertingRule: Sendable {
    public var group: String
    public var name: String
    /// The expression as written in the file.
    public var query: String
    public var expression: Expression
    /// `for`: how long the condition must hold before the alert fires.
    public var holdDuration: Duration
    public var keepFiringFor: Duration
    /// The group's labels, then the rule's (which win), as templates.
    public var labels: [(name: String, template: AlertTemplate)]
    public var annotations: [(name: String, template: AlertTemplate)]
    /// The unit of the value alerts carry (`{{ $value }}` prints `2.31s`, `0.42%`).
    public var unit: ValueUnit
    /// For `<`/`<=` conditions the worst value is the lowest.
    public var lowerIsWorse: Bool

    public init(group: String, name: String, query: String, expression: Expression, holdDuration: Duration = .zero,
                keepFiringFor: Duration = .zero, labels: [(name: String, template: AlertTemplate)] = [],
                annotations: [(name: String, template: AlertTemplate)] = []) {
        self.group = group
        self.name = name
        self.query = query
        self.expression = expression
        self.holdDuration = holdDuration
        self.keepFiringFor = keepFiringFor
        self.labels = labels
        self.annotations = annotations
        self.unit = ValueUnit(of: expression)
        if case .binary(let operation) = expression, operation.op == .less || operation.op == .lessOrEqual {
            lowerIsWorse = true
        } else {
            lowerIsWorse = false
        }
    }

    /// (group, alert name): alerts keep their state across reloads while this stays.
    public var key: RuleKey { RuleKey(group: group, name: name) }
}

/// A rule's identity within the loaded set (alert names are unique within a group).
public struct RuleKey: Hashable, Sendable, CustomStringConvertible {
    public var group: String
    public var name: String

    public init(group: String, name: String) {
        self.group = group
        self.name = name
    }

    public var description: String { "group \"\(group)\", rule \"\(name)\"" }
}
