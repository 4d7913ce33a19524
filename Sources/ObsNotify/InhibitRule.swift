/// Alerts matching `targetMatchers` are muted while an alert matching `sourceMatchers` fires
/// with the same values for every `equal` label — e.g. a critical alert inhibits the warnings of
/// the same service.
public struct InhibitRule: Sendable, Equatable {
    public let sourceMatchers: [LabelMatcher]
    public let targetMatchers: [LabelMatcher]
    /// Without duplicates, in the given order.
    public let equal: [String]

    /// Empty matcher lists are refused: an empty list matches every alert, so an empty source
    /// side would let any alert mute others and an empty target side would mute everything.
    public init(sourceMatchers: [LabelMatcher], targetMatchers: [LabelMatcher], equal: [String] = []) throws(InhibitRuleError) {
        guard !sourceMatchers.isEmpty else { throw .missingSourceMatchers }
        guard !targetMatchers.isEmpty else { throw .missingTargetMatchers }
        var seen = Set<String>()
        var unique: [String] = []
        for name in equal {
            guard LabelName.isValid(name) else { throw .invalidEqualLabel(name: name) }
            if seen.insert(name).inserted { unique.append(name) }
        }
        self.sourceMatchers = sourceMatchers
        self.targetMatchers = targetMatchers
        self.equal = unique
    }

    /// The alert's values for the `equal` labels; a missing label reads as empty, so it equals
    /// another alert's missing (or empty) label, as in Alertmanager.
    func equalValues(_ labels: [String: String]) -> [String] {
        equal.map { labels[$0] ?? "" }
    }
}
