/// A compiled label matcher: `=`, `!=`, or a regular expression anchored at both ends.
struct SeriesMatcher {
    let label: String
    let op: LabelMatcher.Operator
    let value: String
    let regex: Regex<AnyRegexOutput>?

    static func compile(_ matchers: [LabelMatcher], metric: QueryMetric) throws(QueryError) -> [SeriesMatcher] {
        var compiled: [SeriesMatcher] = []
        for matcher in matchers {
            guard metric.labels.contains(matcher.label) else {
                throw QueryError(at: matcher.position, "\(metric.rawValue) has no label \"\(matcher.label)\" (labels: \(metric.labels.joined(separator: ", ")))")
            }
            var regex: Regex<AnyRegexOutput>?
            if matcher.op == .matchesRegex || matcher.op == .doesNotMatchRegex {
                do {
                    regex = try Regex(matcher.value)
                } catch {
                    throw QueryError(at: matcher.position, "invalid regular expression \(Expression.quote(matcher.value))")
                }
            }
            compiled.append(SeriesMatcher(label: matcher.label, op: matcher.op, value: matcher.value, regex: regex))
        }
        return compiled
    }

    func matches(_ labels: [String: String]) -> Bool {
        let actual = labels[label] ?? ""
        switch op {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .matchesRegex: return regex.map { actual.wholeMatch(of: $0) != nil } ?? false
        case .doesNotMatchRegex: return regex.map { actual.wholeMatch(of: $0) == nil } ?? true
        }
    }
}
