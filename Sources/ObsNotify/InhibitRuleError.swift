/// Why an inhibition rule was refused.
public enum InhibitRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingSourceMatchers
    case missingTargetMatchers
    case invalidEqualLabel(name: String)

    public var description: String {
        switch self {
        case .missingSourceMatchers:
            "inhibit rule: source_matchers is empty; name the alerts that inhibit (e.g. severity=\"critical\")"
        case .missingTargetMatchers:
            "inhibit rule: target_matchers is empty; name the alerts to inhibit (e.g. severity=\"warning\")"
        case .invalidEqualLabel(let name):
            "inhibit rule: invalid label name \(GoQuote.quote(name)) in equal; must match [a-zA-Z_][a-zA-Z0-9_]*"
        }
    }
}
