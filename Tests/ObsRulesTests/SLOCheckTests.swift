import Foundation
import ObsCore
import ObsRules
import ObsTesting
import Testing

@Suite("SLO specs: obs rules check reports every bad SLO at its key")
struct SLOCheckTests {
    @Test("no service, objective of 100 %, short window, bad route, bad burn_rate_alerts, duplicate names, unknown burn_rate SLO")
    func problems() async throws {
        let found = try await RuleSetLoaderTests.problems("""
            slos:
              - name: no-service
                objective: 99%
                sli: errors
              - name: full
                service: checkout
                objective: 100%
                sli: errors
              - name: short
                service: checkout
                objective: 99%
                sli: errors
                window: 1d
              - name: badroute
                service: checkout
                route: "/pay(["
                objective: 99%
                sli: errors
              - name: alerts
                service: checkout
                objective: 99%
                sli: errors
                burn_rate_alerts:
                  - {severity: page, long_window: 5m, short_window: 1h, factor: 14.4}
                  - {severity: page, long_window: 1h, short_window: 5m, factor: 0}
                  - {severity: page, long_window: 1h, short_window: 5m, factor: 2, color: red}
              - name: alerts
                service: cart
                objective: 99%
                sli: errors
              - {name: ok, service: cart, objective: 99%, sli: errors}
            groups:
              - name: g
                rules:
                  - alert: A
                    expr: burn_rate(slo="nope", window=1h) > 1
                  - alert: B
                    expr: burn_rate(slo="ok", window=7) > 1
                  - alert: C
                    expr: burn_rate(slo="ok", window=1h, season=1d) > 1
                  - alert: D
                    expr: error_budget_remaining() < 0
            """)
        #expect(found == [
            #"rules/checkout.yaml:2:5: slo "no-service": an slo needs service: SERVICE"#,
            #"rules/checkout.yaml:7:5: slo "full": objective: "100%" must be more than 0% and less than 100%"#,
            #"rules/checkout.yaml:13:5: slo "short": window: 1d is shorter than the longest burn-rate window (3d); the budget cannot burn over more than its window"#,
            #"rules/checkout.yaml:16:5: slo "badroute": route: "/pay([" is not a valid regular expression"#,
            #"rules/checkout.yaml:24:43: slo "alerts", burn_rate_alerts 1: short_window: 1h must be shorter than long_window (5m)"#,
            #"rules/checkout.yaml:25:61: slo "alerts", burn_rate_alerts 2: factor: "0" must be more than 0"#,
            #"rules/checkout.yaml:26:72: slo "alerts", burn_rate_alerts 3: unknown key "color" (keys: severity, long_window, short_window, factor, for)"#,
            #"rules/checkout.yaml:27:5: slo "alerts": duplicate slo name "alerts" (first at rules/checkout.yaml:19:5)"#,
            #"rules/checkout.yaml:36:9: group "g", rule 1 "A": expr 1:15: unknown slo "nope" (slos: ok)"#,
            #"rules/checkout.yaml:38:9: group "g", rule 2 "B": expr 1:28: window= must be a duration of whole 10s buckets, at least 10s (e.g. 5m, 1h)"#,
            #"rules/checkout.yaml:40:9: group "g", rule 3 "C": expr 1:39: burn_rate has no argument named "season" (arguments: slo, window)"#,
            #"rules/checkout.yaml:42:9: group "g", rule 4 "D": error_budget_remaining needs slo="NAME": error_budget_remaining(slo="NAME")"#,
        ])
    }

    @Test("a file with only slos: loads; burn_rate_alerts and route are kept; the generated rules carry the labels")
    func onlySLOs() async throws {
        let rules = try await loadSLOFile("""
            slos:
              - name: pay
                service: checkout
                route: /pay
                objective: 99.9%
                sli: errors
                window: 7d
                burn_rate_alerts:
                  - {severity: page, long_window: 1h, short_window: 5m, factor: 10, for: 2m}
            """)
        #expect(rules.slos.map(\.route) == ["/pay"] && rules.slos.first?.burnRateAlerts.count == 1)
        let group = try #require(rules.groups.first)
        #expect(rules.groups.count == 1 && group.name == "slo:pay:1h:5m")
        let rule = try #require(group.rules.first)
        #expect(rule.query == #"burn_rate(slo="pay", window=1h) > 10 and burn_rate(slo="pay", window=5m) > 10"#)
        #expect(rule.holdDuration == .seconds(120))
        #expect(Set(rule.labels.map(\.name)) == ["slo", "service", "severity", "long_window", "short_window"])
        #expect(Set(rule.annotations.map(\.name)) == ["summary", "description"])
    }
}
