/// One rule file as written: its groups of alerting rules and its SLOs.
public struct RuleFileSpec: Sendable, Equatable {
    public var path: String
    public var groups: [RuleGroupSpec]
    public var slos: [SLOSpec]

    public init(path: String, groups: [RuleGroupSpec] = [], slos: [SLOSpec] = []) {
        self.path = path
        self.groups = groups
        self.slos = slos
    }
}
