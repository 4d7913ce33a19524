import ObsCore

/// Why a routing tree was refused. Cases about one route name it by its route key
/// (`{}/{service="checkout"}`), the same text that appears in its group keys.
public enum RouteError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingRootReceiver
    case rootHasMatchers(matchers: String)
    case rootHasContinue
    case negativeGroupWait(route: String, value: Duration)
    case nonPositiveInterval(route: String, field: String, value: Duration)
    case invalidGroupByLabel(route: String, name: String)
    case wildcardWithOtherLabels(route: String, labels: [String])

    public var description: String {
        switch self {
        case .missingRootReceiver:
            "route {}: the root route needs a receiver; it receives every alert no child route takes"
        case .rootHasMatchers(let matchers):
            "route {}: the root route must not have matchers (got \(matchers)); it has to match every alert"
        case .rootHasContinue:
            "route {}: the root route must not set continue; it has no siblings to continue to"
        case .negativeGroupWait(let route, let value):
            "route \(route): group_wait must not be negative, got \(DurationText.text(value))"
        case .nonPositiveInterval(let route, let field, let value):
            "route \(route): \(field) must be greater than zero, got \(DurationText.text(value))"
        case .invalidGroupByLabel(let route, let name):
            "route \(route): invalid label name \(GoQuote.quote(name)) in group_by; must match [a-zA-Z_][a-zA-Z0-9_]* or be '...'"
        case .wildcardWithOtherLabels(let route, let labels):
            "route \(route): group_by '...' (all labels) cannot be combined with other labels, got \(labels)"
        }
    }
}
