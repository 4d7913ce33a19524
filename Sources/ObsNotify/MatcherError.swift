/// Why text or parts could not become a `LabelMatcher`. Each case carries the matcher as the
/// user wrote it, so one line says which matcher, what is wrong and what is expected.
public enum MatcherError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case missingOperator(matcher: String)
    case invalidLabelName(matcher: String, name: String)
    case unterminatedQuote(matcher: String)
    case unescapedQuote(matcher: String)
    case invalidRegex(matcher: String, pattern: String, reason: String)

    public var description: String {
        switch self {
        case .empty:
            "matcher \"\": empty; expected a label name, an operator (=, !=, =~, !~) and a value, e.g. service=\"checkout\""
        case .missingOperator(let matcher):
            "matcher \(GoQuote.quote(matcher)): no operator; expected one of =, !=, =~, !~ after the label name"
        case .invalidLabelName(let matcher, let name):
            "matcher \(GoQuote.quote(matcher)): invalid label name \(GoQuote.quote(name)): must match [a-zA-Z_][a-zA-Z0-9_]*"
        case .unterminatedQuote(let matcher):
            "matcher \(GoQuote.quote(matcher)): quoted value has no closing double quote"
        case .unescapedQuote(let matcher):
            "matcher \(GoQuote.quote(matcher)): value contains an unescaped double quote; write it as \\\""
        case .invalidRegex(let matcher, let pattern, let reason):
            "matcher \(GoQuote.quote(matcher)): invalid regular expression \(GoQuote.quote(pattern)): \(reason)"
        }
    }
}
