import Testing
@testable import ObsNotify

struct InhibitorTests {
    static func criticalInhibitsWarning() throws -> InhibitRule {
        try InhibitRule(sourceMatchers: [LabelMatcher(parsing: "severity=\"critical\"")],
                        targetMatchers: [LabelMatcher(parsing: "severity=\"warning\"")], equal: ["service"])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let firing: [[String: String]]
        let target: [String: String]
        let inhibited: Bool
        var testDescription: String { name }
    }

    @Test(arguments: [
        Case(name: "critical inhibits warning of the same service",
             firing: [["alertname": "ErrorRate", "severity": "critical", "service": "checkout"]],
             target: ["alertname": "Latency", "severity": "warning", "service": "checkout"], inhibited: true),
        Case(name: "different service",
             firing: [["alertname": "ErrorRate", "severity": "critical", "service": "cart"]],
             target: ["alertname": "Latency", "severity": "warning", "service": "checkout"], inhibited: false),
        Case(name: "target side does not match",
             firing: [["severity": "critical", "service": "checkout"]],
             target: ["severity": "info", "service": "checkout"], inhibited: false),
        Case(name: "source side does not match",
             firing: [["severity": "warning", "service": "checkout"]],
             target: ["severity": "warning", "service": "checkout", "alertname": "Other"], inhibited: false),
        Case(name: "equal label missing on both sides counts as equal",
             firing: [["severity": "critical"]], target: ["severity": "warning"], inhibited: true),
        Case(name: "equal label empty on one side and missing on the other counts as equal",
             firing: [["severity": "critical", "service": ""]], target: ["severity": "warning"], inhibited: true),
        Case(name: "equal label missing on one side only",
             firing: [["severity": "critical"]], target: ["severity": "warning", "service": "checkout"], inhibited: false),
        Case(name: "no firing alerts", firing: [], target: ["severity": "warning", "service": "checkout"], inhibited: false),
        Case(name: "one of many sources matches",
             firing: [["severity": "critical", "service": "cart"], ["severity": "info", "service": "checkout"],
                      ["severity": "critical", "service": "checkout"]],
             target: ["severity": "warning", "service": "checkout"], inhibited: true),
    ])
    func classicRule(_ test: Case) throws {
        let inhibitor = Inhibitor(rules: [try Self.criticalInhibitsWarning()])
        #expect(inhibitor.isInhibited(test.target, byFiring: test.firing) == test.inhibited)
        #expect(inhibitor.inhibited([test.target], sources: test.firing) == [test.inhibited])
    }

    @Test func onlyTheAlertsPassedAsFiringInhibit() throws {
        // The contract: callers pass firing alerts only. A resolved critical alert left out of
        // `sources` must stop inhibiting, and the same alert passed in does inhibit.
        let inhibitor = Inhibitor(rules: [try Self.criticalInhibitsWarning()])
        let critical = ["severity": "critical", "service": "checkout"]
        let warning = ["severity": "warning", "service": "checkout"]
        #expect(inhibitor.inhibited([warning], sources: []) == [false])
        #expect(inhibitor.inhibited([warning], sources: [critical]) == [true])
    }

    @Test func alertMatchingBothSidesIsNotInhibitedByItselfOrItsKind() throws {
        let rule = try InhibitRule(sourceMatchers: [LabelMatcher(parsing: "s=1")], targetMatchers: [LabelMatcher(parsing: "t=1")],
                                   equal: ["e"])
        let inhibitor = Inhibitor(rules: [rule])
        let bothSides = ["s": "1", "t": "1", "e": "x"]
        let otherBothSides = ["s": "1", "t": "1", "e": "x", "instance": "b"]
        let sourceOnly = ["s": "1", "e": "x"]
        let targetOnly = ["t": "1", "e": "x"]

        #expect(!inhibitor.isInhibited(bothSides, byFiring: [bothSides]))
        #expect(!inhibitor.isInhibited(bothSides, byFiring: [bothSides, otherBothSides]))
        #expect(inhibitor.isInhibited(bothSides, byFiring: [bothSides, sourceOnly]))
        // A target-only alert is inhibited by a two-sided source: the exclusion applies only
        // when the target itself matches the source side.
        #expect(inhibitor.isInhibited(targetOnly, byFiring: [bothSides]))
    }

    @Test func severalRules() throws {
        let clusterDown = try InhibitRule(sourceMatchers: [LabelMatcher(parsing: "alertname=ClusterDown")],
                                          targetMatchers: [LabelMatcher(parsing: "alertname=~\".+\"")], equal: ["cluster"])
        let inhibitor = Inhibitor(rules: [try Self.criticalInhibitsWarning(), clusterDown])
        let firing: [[String: String]] = [
            ["alertname": "ClusterDown", "cluster": "eu", "severity": "critical"],
            ["alertname": "ErrorRate", "cluster": "us", "severity": "critical", "service": "checkout"],
        ]
        let targets: [[String: String]] = [
            ["alertname": "Latency", "cluster": "eu", "severity": "info", "service": "search"],
            ["alertname": "Latency", "cluster": "us", "severity": "warning", "service": "checkout"],
            ["alertname": "Latency", "cluster": "us", "severity": "warning", "service": "search"],
            ["alertname": "ClusterDown", "cluster": "eu", "severity": "critical"],
            ["alertname": "ErrorRate", "cluster": "us", "severity": "critical", "service": "checkout"],
        ]
        #expect(inhibitor.inhibited(targets, sources: firing) == [true, true, false, false, false])

        let sources = inhibitor.sources(firing: firing)
        #expect(targets.map { sources.inhibitingRule(for: $0) } == [1, 0, nil, nil, nil])
    }

    @Test func inhibitsAtScale() throws {
        let inhibitor = Inhibitor(rules: [try Self.criticalInhibitsWarning()])
        let firing = (0..<3000).map { ["severity": "critical", "service": "svc\($0 * 2)"] }
        let targets = (0..<3000).map { ["severity": "warning", "service": "svc\($0)"] }
        let result = inhibitor.inhibited(targets, sources: firing)
        #expect(result.filter { $0 }.count == 1500)
        #expect(result.prefix(4) == [true, false, true, false])
    }

    @Test func ruleValidation() throws {
        let matcher = try LabelMatcher(parsing: "severity=critical")
        #expect(throws: InhibitRuleError.missingSourceMatchers) {
            try InhibitRule(sourceMatchers: [], targetMatchers: [matcher])
        }
        #expect(throws: InhibitRuleError.missingTargetMatchers) {
            try InhibitRule(sourceMatchers: [matcher], targetMatchers: [])
        }
        #expect(throws: InhibitRuleError.invalidEqualLabel(name: "bad-name")) {
            try InhibitRule(sourceMatchers: [matcher], targetMatchers: [matcher], equal: ["service", "bad-name"])
        }
        #expect(InhibitRuleError.missingSourceMatchers.description
            == "inhibit rule: source_matchers is empty; name the alerts that inhibit (e.g. severity=\"critical\")")
        #expect(InhibitRuleError.missingTargetMatchers.description.hasPrefix("inhibit rule: target_matchers is empty"))
        let rule = try InhibitRule(sourceMatchers: [matcher], targetMatchers: [matcher], equal: ["service", "cluster", "service"])
        #expect(rule.equal == ["service", "cluster"])
    }
}
