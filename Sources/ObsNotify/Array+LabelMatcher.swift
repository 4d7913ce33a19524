extension Array where Element == LabelMatcher {
    /// Whether every matcher matches; an empty list matches everything, as the root route does.
    public func matches(_ labels: [String: String]) -> Bool {
        allSatisfy { $0.matches(labels) }
    }

    /// Alertmanager's `Matchers.String()`, the text route keys are built from:
    /// `{service="checkout",severity=~"page"}` — matchers in the given order, joined by a bare
    /// comma (Alertmanager writes no space here, unlike in label sets).
    public var setString: String {
        "{" + map(\.description).joined(separator: ",") + "}"
    }

    /// Alertmanager's order for a route's matchers: by name, then value, then operator. Route
    /// keys are built from the sorted list, so they do not depend on the order in the config.
    func sortedAsAlertmanager() -> [LabelMatcher] {
        sorted { lhs, rhs in
            if lhs.name != rhs.name { return ByteOrder.less(lhs.name, rhs.name) }
            if !ByteOrder.equal(lhs.value, rhs.value) { return ByteOrder.less(lhs.value, rhs.value) }
            return lhs.operator.sortRank < rhs.operator.sortRank
        }
    }
}
