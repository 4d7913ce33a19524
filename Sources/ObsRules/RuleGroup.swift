/// A group of alerting rules evaluated together, one after the other, every `interval`, at
/// interval boundaries (t = k × interval), each at t − `queryOffset`.
public struct RuleGroup: Sendable {
    public var name: String
    public var file: String
    public var interval: Duration
    public var queryOffset: Duration
    public var rules: [AlertingRule]

    public init(name: String, file: String, interval: Duration = .seconds(10), queryOffset: Duration = .zero, rules: [AlertingRule]) {
        self.name = name
        self.file = file
        self.interval = interval
        self.queryOffset = queryOffset
        self.rules = rules
    }
}

/// Every rule the daemon evaluates, as loaded from the rule files.
public struct RuleSet: Sendable {
    public var groups: [RuleGroup]
    public var files: [String]
    /// Every file's `slos:`, in file order; their burn-rate alerts are among `groups`.
    public var slos: [SLOSpec]

    public init(groups: [RuleGroup], files: [String] = [], slos: [SLOSpec] = []) {
        self.groups = groups
        self.files = files
        self.slos = slos
    }

    public static let empty = RuleSet(groups: [])

    public var ruleCount: Int { groups.reduce(0) { $0 + $1.rules.count } }

    public func group(named name: String) -> RuleGroup? { groups.first { $0.name == name } }

    public var ruleKeys: Set<RuleKey> { Set(groups.flatMap { $0.rules.map(\.key) }) }

    /// `3 files, 5 groups, 21 rules`, and `, 2 slos` when there are any.
    public var summary: String {
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        let text = "\(count(files.count, "file")), \(count(groups.count, "group")), \(count(ruleCount, "rule"))"
        return slos.isEmpty ? text : text + ", \(count(slos.count, "slo"))"
    }
}
