import Foundation
import ObsCore
import ObsQuery
import ObsRules
import ObsStorage
import ObsTesting
import Testing

@Suite("SLOs: burn rates, budgets and burn-rate alerts against a worked example")
struct SLOBurnRateTests {
    static let t0 = SLOStoreFixture.t0

    func burnRate(_ evaluator: QueryEvaluator, _ window: String, at seconds: Int64) async throws -> Double? {
        let result = try await evaluator.instant(try QueryParser.parse(#"burn_rate(slo="checkout-availability", window=\#(window))"#), at: at(seconds))
        #expect(result.series.allSatisfy { $0.labels == ["slo": "checkout-availability"] })
        return result.series.first?.points.first?.value
    }

    @Test("burn_rate and error_budget_remaining equal the hand-computed figures")
    func functions() async throws {
        let fixture = try await SLOStoreFixture(gap: false)
        let rules = try await loadSLOFile(checkoutSLOYAML)
        let evaluator = fixture.evaluator(rules.slos)
        let end = Self.t0 + 7200
        // At T0+2h: the last hour holds 3,600 requests of which 720 failed (2 per 10 s):
        // 0.2 ÷ (1 − 0.99) = 20. Over 6 h (and 3 d) all 7,200 requests count: 720 / 7200 = 0.1 → 10.
        #expect(try await burnRate(evaluator, "1h", at: end).map { ($0 * 1e9).rounded() / 1e9 } == 20)
        #expect(try await burnRate(evaluator, "5m", at: end).map { ($0 * 1e9).rounded() / 1e9 } == 20)
        #expect(try await burnRate(evaluator, "6h", at: end).map { ($0 * 1e9).rounded() / 1e9 } == 10)
        // 30 minutes into the bad hour, the 1 h window holds 180 buckets × 2 = 360 failures of 3,600: 0.1 / 0.01 = 10.
        #expect(try await burnRate(evaluator, "1h", at: Self.t0 + 3600 + 1800).map { ($0 * 1e9).rounded() / 1e9 } == 10)
        // Budget over the 30 d window: 1 − 10 = −9 (overspent nine times).
        let budget = try await evaluator.instant(try QueryParser.parse(#"error_budget_remaining(slo="checkout-availability")"#), at: at(end))
        #expect(budget.series.first?.points.first.map { ($0.value * 1e9).rounded() / 1e9 } == -9)
        // No traffic before T0: no value (unknown), not 0.
        #expect(try await burnRate(evaluator, "1h", at: Self.t0 - 60) == nil)
    }

    @Test("the generated SLOBurnRate rules fire at the hand-computed instants (backtest)")
    func workedExample() async throws {
        let fixture = try await SLOStoreFixture(gap: false)
        let rules = try await loadSLOFile(checkoutSLOYAML)
        #expect(rules.groups.map(\.name) == ["slo:checkout-availability:1h:5m", "slo:checkout-availability:6h:30m",
                                             "slo:checkout-availability:3d:6h"])
        #expect(rules.groups.allSatisfy { $0.interval == .seconds(30) && $0.rules.map(\.name) == ["SLOBurnRate"] })
        let report = await RuleBacktest(rules: rules, source: fixture.evaluator(rules.slos))
            .run(since: at(Self.t0), until: at(Self.t0 + 7200))
        let firing = Dictionary(uniqueKeysWithValues: report.episodes.map { ($0.labels["long_window"] ?? "", $0) })
        // Evaluations every 30 s at t = T0 + 1h + 30k; the bad hour began at T0 + 1h.
        // 14.4× over 1h & 5m: the 1 h window holds 6k failures of 3,600 → (6k/3600)/0.01 = k/6 > 14.4 → k = 87
        // (the 5 m window is all bad by then: 20); fires at T0 + 3600 + 2610.
        #expect(firing["1h"]?.firingAt == at(Self.t0 + 3600 + 87 * 30))
        // 6× over 6h & 30m: 6 h holds every request since T0: 6k / (3600 + 30k) / 0.01 > 6 → 420k > 21,600 → k = 52;
        // the 30 m window then holds 6k / 1800 / 0.01 = k/3 ≈ 17 > 6; fires at T0 + 3600 + 1560.
        #expect(firing["6h"]?.firingAt == at(Self.t0 + 3600 + 52 * 30))
        // 1× over 3d & 6h: 600k / (3600 + 30k) > 1 → k > 6.3 → k = 7; fires at T0 + 3600 + 210.
        #expect(firing["3d"]?.firingAt == at(Self.t0 + 3600 + 7 * 30))
        let page = try #require(firing["1h"])
        #expect(page.alertname == "SLOBurnRate")
        #expect(page.labels["slo"] == "checkout-availability" && page.labels["severity"] == "page" && page.labels["short_window"] == "5m"
                && page.labels["service"] == "checkout")
        #expect(firing["3d"]?.labels["severity"] == "ticket")
    }

    @Test("budget left, minutes of outage left and time to exhaustion at the current 1 h burn rate")
    func budgetFigures() async throws {
        let fixture = try await SLOStoreFixture(gap: false)
        let rules = try await loadSLOFile("""
            slos:
              - {name: checkout-availability, service: checkout, objective: 99%, sli: errors, window: 30d}
              - {name: checkout-lenient, service: checkout, objective: 80%, sli: errors, window: 3d}
            """)
        let statuses = try await fixture.evaluator(rules.slos).sloReport(at: at(Self.t0 + 7200))
        func rounded(_ value: Double?) -> Double? { value.map { ($0 * 1e6).rounded() / 1e6 } }
        let strict = try #require(statuses.first)
        #expect(strict.counts == SLOCounts(total: 7200, bad: 720))
        // 1 − 0.1/0.01 = −9; −9 × 0.01 × 43,200 min = −3,888 minutes; exhausted already: 0.
        #expect(rounded(strict.budgetRemaining) == -9 && rounded(strict.budgetRemainingMinutes) == -3888 && strict.exhaustedInSeconds == 0)
        let lenient = try #require(statuses.last)
        // Allowance 0.2. Over 3 d: 0.1 / 0.2 = 0.5 spent, 0.5 left; 0.5 × 0.2 × 4,320 min = 432 minutes.
        // Burn rates: 5m and 1h 0.2/0.2 = 1, 6h and 3d 0.1/0.2 = 0.5. At 1×, 0.5 of 3 d lasts 129,600 s.
        #expect(rounded(lenient.budgetRemaining) == 0.5 && rounded(lenient.budgetRemainingMinutes) == 432)
        #expect(lenient.burnRates.map(rounded) == [1, 1, 0.5, 0.5])
        #expect(rounded(lenient.exhaustedInSeconds) == 129_600)
        #expect(rounded(lenient.counts.sli) == 0.9)
        // --since replaces the window's start: over [T0 + 1h, T0 + 2h) the SLI is 0.8 and the budget 0.
        let since = try await fixture.evaluator(rules.slos).sloReport(at: at(Self.t0 + 7200), since: at(Self.t0 + 3600))
        #expect(since.last.map { rounded($0.counts.sli) } == 0.8 && since.last.map { rounded($0.budgetRemaining) } == 0)
        #expect(since.last?.exhaustedInSeconds == 0)
        // The JSON names every field.
        let json = try JSONSerialization.jsonObject(with: Data(SLOStatus.json(statuses, at: at(Self.t0 + 7200)).bytes)) as? [String: Any]
        let first = try #require(((json?["data"] as? [String: Any])?["slos"] as? [[String: Any]])?.last)
        for key in ["name", "service", "route", "objective", "sli", "window", "sli_value", "good", "total", "budget_remaining",
                    "budget_remaining_minutes", "burn_rate", "exhausted_in_s"] {
            #expect(first[key] != nil, "missing \(key)")
        }
        #expect(first["window"] as? String == "3d" && first["route"] is NSNull)
        #expect((first["burn_rate"] as? [String: Any])?.keys.sorted() == ["1h", "3d", "5m", "6h"])
    }

    @Test("no traffic is unknown: a firing page keeps firing through a two-hour gap, in a backtest and in the live engine")
    func freezesWithoutTraffic() async throws {
        let fixture = try await SLOStoreFixture(gap: true)
        let rules = try await loadSLOFile(checkoutSLOYAML)
        let evaluator = fixture.evaluator(rules.slos)
        let report = await RuleBacktest(rules: rules, source: evaluator).run(since: at(Self.t0), until: at(Self.t0 + 5 * 3600))
        let page = try #require(report.episodes.first { $0.labels["long_window"] == "1h" })
        #expect(page.firingAt == at(Self.t0 + 3600 + 87 * 30))
        // Without traffic from T0+2h the 5 m window has no value from T0+2h+5m on: "unknown" keeps
        // the alert. Traffic (all good) is back at T0+4h: the first evaluation after it,
        // T0+4h+30s, sees burn rate 0 over 5 m and resolves.
        #expect(page.resolvedAt == at(Self.t0 + 4 * 3600 + 30))

        let alerts = AlertStoreFixture.self
        let storeFixture = try alerts.init()
        defer { storeFixture.remove() }
        let engine = RuleEngine(rules: rules, conditions: evaluator, store: storeFixture.store, clock: ManualClock(now: at(Self.t0)),
                                externalURL: "", logger: .init(label: "test"))
        let group = "slo:checkout-availability:1h:5m"
        let key = RuleKey(group: group, name: "SLOBurnRate")
        await engine.evaluate(group: group, at: at(Self.t0 + 7200))
        #expect(await engine.alerts(of: key).map(\.state) == [.firing])
        let before = try await storeFixture.history().count
        for offset: Int64 in [600, 1800, 3600, 7170] {
            await engine.evaluate(group: group, at: at(Self.t0 + 7200 + offset))
            #expect(await engine.alerts(of: key).map(\.state) == [.firing], "at T0+2h+\(offset)s")
        }
        #expect(try await storeFixture.history().count == before, "no transition during the gap")
        await engine.evaluate(group: group, at: at(Self.t0 + 4 * 3600 + 30))
        #expect(await engine.alerts(of: key).isEmpty)
    }

    @Test("an unknown sample leaves an alert exactly as it is and creates none")
    func stateMachineKeepsUnknown() throws {
        let rule = try alertingRule("SLOBurnRate", "burn_rate(slo=\"x\", window=1h) > 1 and burn_rate(slo=\"x\", window=5m) > 1", for: .seconds(60))
        let machine = AlertStateMachine(rule: rule, externalURL: "")
        let labels = ["slo": "x"]
        let (none, nothing) = machine.step([:], samples: [RuleSample(labels: labels, value: nil, holds: false, unknown: true)], at: at(100))
        #expect(none.isEmpty && nothing.transitions.isEmpty)
        let (pending, _) = machine.step([:], samples: [RuleSample(labels: labels, value: 3, holds: true)], at: at(100))
        let (kept, change) = machine.step(pending, samples: [RuleSample(labels: labels, value: nil, holds: false, unknown: true)], at: at(130))
        #expect(kept == pending && change.transitions.isEmpty && change.upserted.isEmpty)
        // Known and false again: a pending alert goes inactive.
        let (gone, ended) = machine.step(kept, samples: [RuleSample(labels: labels, value: 0, holds: false)], at: at(160))
        #expect(gone.isEmpty && ended.transitions.map(\.state) == [.inactive])
    }

    @Test("latency SLI: requests above the threshold are bad, counted from the stored sketches")
    func latencySLI() async throws {
        // One request in ten takes 5 s, the others 100 ms.
        let fixture = try await SLOStoreFixture(gap: false, latencyMs: { $0 % 10 == 3 ? 5000 : 100 })
        let rules = try await loadSLOFile("""
            slos:
              - {name: checkout-latency, service: checkout, route: "/p.*", objective: 95%, sli: latency, threshold: 2s, window: 30d}
              - {name: other-route, service: checkout, route: /pa, objective: 95%, sli: latency, threshold: 2s, window: 30d}
            """)
        let statuses = try await fixture.evaluator(rules.slos).sloReport(at: at(Self.t0 + 7200))
        #expect(statuses.first?.counts == SLOCounts(total: 7200, bad: 720))
        // 0.1 bad ÷ 0.05 allowed = 2.
        #expect(statuses.first?.burnRates[1].map { ($0 * 1e9).rounded() / 1e9 } == 2)
        // The route is anchored: "/pa" does not match "/pay"; no traffic, so nothing is known.
        #expect(statuses.last?.counts.total == 0 && statuses.last?.budgetRemaining == nil && statuses.last?.burnRates == [nil, nil, nil, nil])
    }
}
