import ObsQuery

extension ValueUnit {
    /// The unit of what `expression` evaluates to; for a comparison, of its series side —
    /// the value an alert carries.
    public init(of expression: Expression) {
        switch expression {
        case .number, .string:
            self = .none
        case .selector(let selector):
            switch selector.metric {
            case "error_rate": self = .ratio
            case "latency": self = .milliseconds
            default: self = .count
            }
        case .call(let call):
            switch call.name {
            case "p50", "p90", "p95", "p99", "quantile", "avg", "min", "max": self = .milliseconds
            case "count": self = .count
            case "rate": self = .perSecond
            default: self = .none
            }
        case .grouping(let operand, _, _), .negation(let operand, _):
            self = ValueUnit(of: operand)
        case .binary(let operation):
            let lhs = ValueUnit(of: operation.lhs)
            let rhs = ValueUnit(of: operation.rhs)
            let lhsIsNumber = if case .number = operation.lhs { true } else { false }
            let rhsIsNumber = if case .number = operation.rhs { true } else { false }
            switch operation.op {
            case .add, .subtract:
                self = lhsIsNumber ? rhs : lhs
            case .multiply, .divide:
                // Scaling by a number keeps the unit; a quotient of two series has none.
                self = rhsIsNumber ? lhs : (lhsIsNumber && operation.op == .multiply ? rhs : .none)
            default:
                self = lhsIsNumber ? rhs : lhs
            }
        }
    }
}
