/// A parsed expression of the obs query language (see DESIGN.md, "The expression language").
///
/// Numbers carry their unit already applied: durations become milliseconds (latency values
/// are milliseconds), so `2s` is 2000 and `250ms` is 250; `%` divides by 100, so `0.1%` is
/// 0.001 (error rates are ratios). Range durations (`[5m]`) are kept in seconds.
///
/// `description` prints a canonical S-expression, used by the golden parser tests and by
/// error messages that quote a sub-expression.
public indirect enum Expression: Sendable, Equatable, CustomStringConvertible {
    case number(Double, at: SourcePosition)
    /// A quoted string; only meaningful as a named argument (`slo="checkout-availability"`).
    case string(String, at: SourcePosition)
    case selector(SeriesSelector)
    case call(FunctionCall)
    case binary(BinaryOperation)
    case negation(Expression, at: SourcePosition)
    /// `EXPR by (label, …)`: keep one series per distinct value of the labels.
    case grouping(Expression, by: [String], at: SourcePosition)

    public var position: SourcePosition {
        switch self {
        case .number(_, let at), .string(_, let at), .negation(_, let at), .grouping(_, _, let at): at
        case .selector(let selector): selector.position
        case .call(let call): call.position
        case .binary(let operation): operation.position
        }
    }

    public var description: String {
        switch self {
        case .number(let value, _): Self.format(value)
        case .string(let text, _): Self.quote(text)
        case .selector(let selector): selector.description
        case .call(let call): call.description
        case .binary(let operation): "(\(operation.op.rawValue) \(operation.lhs) \(operation.rhs))"
        case .negation(let operand, _): "(- \(operand))"
        case .grouping(let operand, let labels, _): "(by (\(labels.joined(separator: " "))) \(operand))"
        }
    }

    /// Shortest text that reads back as the same Double: `2000`, `0.001`, `1.5`.
    public static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    public static func quote(_ text: String) -> String {
        var quoted = "\""
        for character in text {
            switch character {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            default: quoted.append(character)
            }
        }
        return quoted + "\""
    }
}

/// Where a token starts in the expression text: 1-based line and column, counted in
/// characters, so a message can point at it (`1:14: …`).
public struct SourcePosition: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// `metric{label="value", …}[5m]`: the observations of one metric (`latency`, `requests`,
/// `errors`, `error_rate`, `logs`) whose labels match, over a trailing range.
public struct SeriesSelector: Sendable, Equatable, CustomStringConvertible {
    public var metric: String
    public var matchers: [LabelMatcher]
    /// The range in seconds (`[5m]` → 300); nil when the selector has no range.
    public var rangeSeconds: Int64?
    public var position: SourcePosition

    public init(metric: String, matchers: [LabelMatcher] = [], rangeSeconds: Int64? = nil, position: SourcePosition) {
        self.metric = metric
        self.matchers = matchers
        self.rangeSeconds = rangeSeconds
        self.position = position
    }

    public var description: String {
        var text = metric
        if !matchers.isEmpty { text += "{" + matchers.map(\.description).joined(separator: ",") + "}" }
        if let rangeSeconds { text += "[\(rangeSeconds)s]" }
        return text
    }
}

public struct LabelMatcher: Sendable, Equatable, CustomStringConvertible {
    public enum Operator: String, Sendable, Equatable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        /// Regular expression, anchored at both ends as in Prometheus.
        case matchesRegex = "=~"
        case doesNotMatchRegex = "!~"
    }

    public var label: String
    public var op: Operator
    public var value: String
    public var position: SourcePosition

    public init(label: String, op: Operator, value: String, position: SourcePosition) {
        self.label = label
        self.op = op
        self.value = value
        self.position = position
    }

    public var description: String { label + op.rawValue + Expression.quote(value) }
}

/// `name(arg, …)`; named arguments (`baseline=1h`) are kept for the rule functions
/// (`anomaly`, `burn_rate`).
public struct FunctionCall: Sendable, Equatable, CustomStringConvertible {
    public struct Argument: Sendable, Equatable, CustomStringConvertible {
        public var name: String?
        public var value: Expression

        public init(name: String? = nil, value: Expression) {
            self.name = name
            self.value = value
        }

        public var description: String { name.map { "\($0)=\(value)" } ?? value.description }
    }

    public var name: String
    public var arguments: [Argument]
    public var position: SourcePosition

    public init(name: String, arguments: [Argument], position: SourcePosition) {
        self.name = name
        self.arguments = arguments
        self.position = position
    }

    public var description: String {
        arguments.isEmpty ? "(\(name))" : "(\(name) " + arguments.map(\.description).joined(separator: " ") + ")"
    }
}

public struct BinaryOperation: Sendable, Equatable {
    public enum Operator: String, Sendable, Equatable, CaseIterable {
        case add = "+", subtract = "-", multiply = "*", divide = "/"
        case equal = "==", notEqual = "!=", greater = ">", less = "<", greaterOrEqual = ">=", lessOrEqual = "<="
        /// `a and b`: a's series that have a series with the same labels in b with a value at
        /// that instant, with a's values (Prometheus' set intersection, labels matched exactly).
        case and

        public var isComparison: Bool {
            switch self {
            case .add, .subtract, .multiply, .divide, .and: false
            default: true
            }
        }
    }

    public var op: Operator
    public var lhs: Expression
    public var rhs: Expression
    /// The operator's position.
    public var position: SourcePosition

    public init(op: Operator, lhs: Expression, rhs: Expression, position: SourcePosition) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.position = position
    }
}
