/// One condition on one label, as in Alertmanager routes, silences and inhibition rules:
/// `service="checkout"`, `severity=~"page|critical"`.
///
/// A label the alert does not have matches as the empty string, as in Alertmanager, so
/// `env!="prod"` matches alerts without `env` and `env=""` means "has no env".
public struct LabelMatcher: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let `operator`: MatchOperator
    public let value: String
    /// Whether the matcher matches the empty string, i.e. an alert missing the label. Silences
    /// need it: a silence whose matchers all match the empty string would mute every alert.
    public let matchesEmpty: Bool
    private let pattern: CompiledPattern?

    public init(name: String, operator: MatchOperator, value: String) throws(MatcherError) {
        try self.init(name: name, operator: `operator`, value: value,
                      asWritten: name + `operator`.rawValue + Self.quoted(value))
    }

    /// `asWritten` is what error messages show, so a parsed matcher's error quotes the user's text.
    init(name: String, operator: MatchOperator, value: String, asWritten: String) throws(MatcherError) {
        guard LabelName.isValid(name) else { throw .invalidLabelName(matcher: asWritten, name: name) }
        self.name = name
        self.operator = `operator`
        self.value = value
        if `operator`.isRegex {
            do {
                pattern = try CompiledPattern(value)
            } catch {
                throw .invalidRegex(matcher: asWritten, pattern: value, reason: error.reason)
            }
        } else {
            pattern = nil
        }
        matchesEmpty = Self.evaluate(`operator`, value: value, pattern: pattern, against: "")
    }

    public func matches(_ labels: [String: String]) -> Bool {
        matches(value: labels[name] ?? "")
    }

    public func matches(value candidate: String) -> Bool {
        Self.evaluate(`operator`, value: value, pattern: pattern, against: candidate)
    }

    private static func evaluate(_ op: MatchOperator, value: String, pattern: CompiledPattern?, against candidate: String) -> Bool {
        switch op {
        case .equal: ByteOrder.equal(candidate, value)
        case .notEqual: !ByteOrder.equal(candidate, value)
        case .regex: pattern?.matches(candidate) ?? false
        case .notRegex: !(pattern?.matches(candidate) ?? false)
        }
    }

    /// The canonical form Alertmanager prints, `name="value"`, which `init(parsing:)` reads back.
    public var description: String { name + `operator`.rawValue + Self.quoted(value) }

    /// Alertmanager's matcher escaping (OpenMetrics rules): only backslash, newline and double
    /// quote are escaped, unlike Go's `%q`, and the parser undoes exactly these three.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"": out += "\\\""
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    public static func == (lhs: LabelMatcher, rhs: LabelMatcher) -> Bool {
        lhs.name == rhs.name && lhs.operator == rhs.operator && ByteOrder.equal(lhs.value, rhs.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(`operator`)
        hasher.combine(value.utf8.count)
        for byte in value.utf8 { hasher.combine(byte) }
    }
}
