import Foundation
import ObsCore
import ObsRules
import ObsTesting
import Testing

@Suite("Rule set loading: expressions, templates, every problem located")
struct RuleSetLoaderTests {
    static func problems(_ yaml: String) async throws -> [String] {
        let directory = try TemporaryDirectory("obs-rules")
        defer { directory.remove() }
        let path = try directory.write("checkout.yaml", yaml)
        switch await RuleSetLoader.load(paths: [path]) {
        case .success: return []
        case .failure(let error): return error.problems.map { $0.description.replacingOccurrences(of: path, with: "rules/checkout.yaml") }
        }
    }

    @Test("expression errors from the parser and from the dry evaluation point at expr:, with their position inside the expression")
    func expressions() async throws {
        let found = try await Self.problems("""
            groups:
              - name: checkout
                rules:
                  - alert: A
                    expr: p59(latency{service="checkout"}[5m]) > 2s
                  - alert: B
                    expr: p95(latency[5m]) by (sevice) > 2s
                  - alert: C
                    expr: rate(latency[5m]) > 1
                  - alert: D
                    expr: 2 > 1
                  - alert: E
                    expr: p95(latency[5m]
                  - alert: F
                    expr: anomaly(p95(latency[1m]), season=2d) > 3
                  - alert: G
                    expr: anomaly(p95(latency[1m]) by (service), baseline=1h, season=1d) > 3
            """)
        #expect(found == [
            #"rules/checkout.yaml:5:9: group "checkout", rule 1 "A": unknown function "p59" (functions: p50, p90, p95, p99, quantile, avg, min, max, count, rate, absent, anomaly, burn_rate, error_budget_remaining)"#,
            #"rules/checkout.yaml:7:9: group "checkout", rule 2 "B": expr 1:5: cannot group latency by "sevice" (labels: service, route, method)"#,
            #"rules/checkout.yaml:9:9: group "checkout", rule 3 "C": expr 1:6: rate applies to requests, errors, logs, not latency"#,
            #"rules/checkout.yaml:11:9: group "checkout", rule 4 "D": expr 1:3: both sides of > are numbers; an alert needs series on one side"#,
            #"rules/checkout.yaml:13:9: group "checkout", rule 5 "E": expr 1:16: expected ")" to close the call of p95 at 1:1, found end of expression"#,
            #"rules/checkout.yaml:15:9: group "checkout", rule 6 "F": expr 1:34: season=2d is not none, 1d or 1w"#,
        ], "\(found)")
    }

    @Test("template errors point at the label or annotation; a label may not use $value; a missing label renders empty")
    func templates() async throws {
        let found = try await Self.problems("""
            groups:
              - name: checkout
                labels: {team: "{{ $labels.team"}
                rules:
                  - alert: A
                    expr: p95(latency[5m]) by (service) > 2s
                    labels:
                      severity: page
                      value: "{{ $value }}"
                    annotations:
                      summary: "{{ $valeu }}"
                      fine: "{{ $labels.missing }}"
            """)
        #expect(found == [
            #"rules/checkout.yaml:2:5: group "checkout": label team: template column 1: unterminated action: {{ without a closing }}"#,
            #"rules/checkout.yaml:9:11: group "checkout", rule 1 "A": label value uses $value: the alert's labels are its identity and would change at every evaluation; put the value in an annotation"#,
            #"rules/checkout.yaml:11:11: group "checkout", rule 1 "A": annotation summary: template column 1: unknown variable $valeu (variables: $labels, $value, $externalURL)"#,
        ], "\(found)")
    }

    @Test("problems of several files come file by file in document order, with the structural ones")
    func order() async throws {
        let directory = try TemporaryDirectory("obs-rules")
        defer { directory.remove() }
        _ = try directory.write("a.yaml", "groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: p59(latency[5m]) > 1\n        for: 5x\n")
        _ = try directory.write("b.yaml", "groups:\n  - name: b\n    interval: 0s\n")
        guard case .failure(let error) = await RuleSetLoader.load(paths: [directory.path]) else {
            Issue.record("invalid files loaded")
            return
        }
        let lines = error.problems.map { $0.description.replacingOccurrences(of: directory.path + "/", with: "") }
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("a.yaml:5:9: ") && lines[1].hasPrefix("a.yaml:6:9: ") && lines[2].hasPrefix("b.yaml:3:5: "), "\(lines)")
    }

    @Test("the shipped rules for the 15-service shop pass the check")
    func shippedRules() async throws {
        let rules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("rules").path
        let loaded = try await RuleSetLoader.load(paths: [rules]).get()
        #expect(loaded.summary == "3 files, 10 groups, 26 rules, 2 slos")
        let names = Set(loaded.groups.flatMap { $0.rules.map(\.name) })
        #expect(names.isSuperset(of: ["ServiceLatencyHigh", "RouteLatencyHigh", "ServiceErrorRateHigh", "NoTrafficCheckout",
                                      "LatencyAnomaly", "ErrorRateAnomaly", "SLOBurnRate"]))
        let loadedRules = loaded.groups.flatMap(\.rules)
        let latency = try #require(loadedRules.first { $0.name == "ServiceLatencyHigh" })
        #expect(latency.unit == .milliseconds && latency.holdDuration == .seconds(120))
        // An anomaly score has no unit: robust deviations.
        let anomaly = try #require(loadedRules.first { $0.name == "LatencyAnomaly" })
        #expect(anomaly.unit == ValueUnit.none && anomaly.holdDuration == .seconds(300) && anomaly.expression.containsAnomaly)
    }

    @Test("group labels are under the rule's own; an empty file is no rules")
    func groupLabels() async throws {
        let directory = try TemporaryDirectory("obs-rules")
        defer { directory.remove() }
        let path = try directory.write("r.yaml", """
            groups:
              - name: g
                interval: 30s
                query_offset: 5s
                labels: {team: shop, severity: ticket}
                rules:
                  - alert: A
                    expr: error_rate[5m] by (service) > 1%
                    labels: {severity: page}
            """)
        _ = try directory.write("empty.yaml", "")
        let rules = try await RuleSetLoader.load(paths: [path, directory.file("empty.yaml")]).get()
        let group = try #require(rules.groups.first)
        #expect(rules.groups.count == 1 && group.interval == .seconds(30) && group.queryOffset == .seconds(5))
        let rule = try #require(group.rules.first)
        let labels = Dictionary(uniqueKeysWithValues: rule.labels.map { ($0.name, $0.template.source) })
        #expect(labels == ["team": "shop", "severity": "page"])
        #expect(rule.unit == .ratio)
    }
}
