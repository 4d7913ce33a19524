/// How a label matcher compares a label's value: the four operators of Prometheus selectors and
/// Alertmanager matchers.
///
/// Case order is Alertmanager's `MatchType` order; route keys sort matchers by it as the last
/// tie-breaker, so reordering the cases would change keys.
public enum MatchOperator: String, Sendable, Hashable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case regex = "=~"
    case notRegex = "!~"

    public var isRegex: Bool { self == .regex || self == .notRegex }

    var sortRank: Int {
        switch self {
        case .equal: 0
        case .notEqual: 1
        case .regex: 2
        case .notRegex: 3
        }
    }
}
