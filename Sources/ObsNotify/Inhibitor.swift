/// Applies inhibition rules. Alertmanager keeps a cache of source alerts per rule and scans it
/// for every target; here the firing alerts are indexed once per evaluation (`sources(firing:)`)
/// so that each target costs one hash lookup per rule.
public struct Inhibitor: Sendable {
    public let rules: [InhibitRule]

    public init(rules: [InhibitRule]) {
        self.rules = rules
    }

    /// Indexes the currently firing alerts. The caller passes only firing alerts: resolved ones
    /// must not inhibit (Alertmanager skips resolved entries of its cache the same way).
    /// O(firing × rules).
    public func sources(firing: [[String: String]]) -> InhibitionSources {
        InhibitionSources(rules: rules, firing: firing)
    }

    /// For each target, whether it is inhibited by the firing alerts. O((targets + firing) × rules).
    public func inhibited(_ targets: [[String: String]], sources firing: [[String: String]]) -> [Bool] {
        let index = sources(firing: firing)
        return targets.map { index.isInhibited($0) }
    }

    /// One alert against the firing alerts; for many targets use `sources(firing:)` once instead.
    public func isInhibited(_ labels: [String: String], byFiring firing: [[String: String]]) -> Bool {
        sources(firing: firing).isInhibited(labels)
    }
}
