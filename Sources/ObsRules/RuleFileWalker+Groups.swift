import Yams

extension RuleFileWalker {
    static let groupKeys = ["name", "interval", "query_offset", "labels", "rules"]
    static let ruleKeys = ["alert", "expr", "for", "keep_firing_for", "labels", "annotations"]

    /// `group "checkout"`, or `group 2` when the group has no usable name.
    static func groupContext(_ node: Node, index: Int) -> String {
        peekName(node, key: "name").map { "group \(quote($0))" } ?? "group \(index)"
    }

    /// `group "checkout", rule 2 "CheckoutLatencyHigh"`, or `…, rule 2` when the rule has no usable alert name.
    static func ruleContext(_ node: Node, index: Int, group: String) -> String {
        let rule = peekName(node, key: "alert").map { "rule \(index) \(quote($0))" } ?? "rule \(index)"
        return "\(group), \(rule)"
    }

    /// A `groups:` entry; nil when it is not a mapping. A group with problems is still returned,
    /// with defaults in place of values that could not be used.
    mutating func group(_ node: Node, index: Int) -> RuleGroupSpec? {
        let context = Self.groupContext(node, index: index)
        guard let entries = fields(node, field: nil, at: node, context) else { return nil }
        var group = RuleGroupSpec(name: "", location: location(node))
        var sawName = false
        var alertNames: [String: RuleLocation] = [:]
        for entry in entries {
            switch entry.name {
            case "name":
                sawName = true
                group.location = location(entry.key)
                guard let name = nonEmptyText(entry, context) else { continue }
                group.name = name
                guard !Self.isBlank(name) else { continue }
                if let first = names.groups[name] {
                    problem(entry.key, context, "duplicate group name \(Self.quote(name)) (first at \(first))")
                } else {
                    names.groups[name] = location(entry.key)
                }
            case "interval":
                if let interval = duration(entry, context, positive: true) { group.interval = interval }
            case "query_offset":
                if let offset = duration(entry, context, positive: false) { group.queryOffset = offset }
            case "labels":
                group.labels = labels(entry, context, kind: .groupLabels).values
            case "rules":
                guard let list = items(entry.value, field: entry.name, at: entry.key, context) else { continue }
                for (offset, ruleNode) in list.enumerated() {
                    if let rule = rule(ruleNode, index: offset + 1, group: context, alertNames: &alertNames) {
                        group.rules.append(rule)
                    }
                }
            default:
                unknown(entry, context, allowed: Self.groupKeys)
            }
        }
        if !sawName { problem(node, context, "a group needs name: NAME") }
        return group
    }

    /// A `rules:` entry; nil when it is not a mapping or has no `alert:` name. A rule with other
    /// problems is still returned, with defaults in place of values that could not be used.
    mutating func rule(_ node: Node, index: Int, group: String, alertNames: inout [String: RuleLocation]) -> AlertingRuleSpec? {
        let context = Self.ruleContext(node, index: index, group: group)
        guard let entries = fields(node, field: nil, at: node, context) else { return nil }
        let start = location(node)
        var rule = AlertingRuleSpec(alert: "", expr: "", index: index, location: start, exprLocation: start)
        var alert: String?
        var alertKey: Node?
        var sawExpr = false
        var sawRecord = false
        for entry in entries {
            switch entry.name {
            case "alert":
                alertKey = entry.key
                rule.location = location(entry.key)
                guard let name = nonEmptyText(entry, context) else { continue }
                alert = name
                guard !Self.isBlank(name) else { continue }
                if let first = alertNames[name] {
                    problem(entry.key, context, "duplicate alert name \(Self.quote(name)) in this group (first at \(first))")
                } else {
                    alertNames[name] = location(entry.key)
                }
            case "record":
                sawRecord = true
                problem(entry.key, context, "recording rules are not supported by this version of obs yet; use an alerting rule (alert:)")
            case "expr":
                sawExpr = true
                rule.exprLocation = location(entry.key)
                if let expr = nonEmptyText(entry, context) { rule.expr = expr }
            case "for":
                if let duration = duration(entry, context, positive: false) { rule.for = duration }
            case "keep_firing_for":
                if let duration = duration(entry, context, positive: false) { rule.keepFiringFor = duration }
            case "labels":
                (rule.labels, rule.labelLocations) = labels(entry, context, kind: .ruleLabels)
            case "annotations":
                (rule.annotations, rule.annotationLocations) = labels(entry, context, kind: .annotations)
            default:
                unknown(entry, context, allowed: Self.ruleKeys)
            }
        }
        if alertKey == nil, !sawRecord { problem(node, context, "a rule needs alert: NAME") }
        if !sawExpr, !sawRecord { problem(at: rule.location, context, "a rule needs expr: EXPRESSION") }
        if !sawExpr { rule.exprLocation = rule.location }
        guard let alert else { return nil }
        rule.alert = alert
        return rule
    }
}
