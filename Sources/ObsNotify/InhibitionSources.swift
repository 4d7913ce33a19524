/// The firing alerts indexed by inhibition rule: for each rule, the `equal`-label values of the
/// firing alerts that match its source side.
///
/// Alertmanager's two-sided rule (its `excludeTwoSidedMatch`): when a target alert also matches
/// the rule's source side, source alerts that also match the target side are disregarded for it.
/// Without this, an alert matching both sides would inhibit itself, and alerts of one class
/// that a broad rule puts on both sides would all silence one another. So each rule keeps two
/// sets: all source values, and the values of sources that do not match the target side.
public struct InhibitionSources: Sendable {
    private struct RuleIndex: Sendable {
        let rule: InhibitRule
        var allSources: Set<[String]> = []
        var oneSidedSources: Set<[String]> = []
    }

    private let indexes: [RuleIndex]

    init(rules: [InhibitRule], firing: [[String: String]]) {
        indexes = rules.map { rule in
            var index = RuleIndex(rule: rule)
            for labels in firing where rule.sourceMatchers.matches(labels) {
                let values = rule.equalValues(labels)
                index.allSources.insert(values)
                if !rule.targetMatchers.matches(labels) { index.oneSidedSources.insert(values) }
            }
            return index
        }
    }

    /// Whether some rule mutes the alert.
    public func isInhibited(_ labels: [String: String]) -> Bool {
        inhibitingRule(for: labels) != nil
    }

    /// The position (in `Inhibitor.rules`) of the first rule that mutes the alert, for showing
    /// why an alert is muted; nil when none does.
    public func inhibitingRule(for labels: [String: String]) -> Int? {
        for (position, index) in indexes.enumerated() where index.rule.targetMatchers.matches(labels) {
            let candidates = index.rule.sourceMatchers.matches(labels) ? index.oneSidedSources : index.allSources
            if candidates.contains(index.rule.equalValues(labels)) { return position }
        }
        return nil
    }
}
