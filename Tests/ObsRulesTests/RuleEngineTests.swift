import Logging
import ObsCore
import ObsQuery
import ObsRules
import ObsStorage
import ObsTesting
import Synchronization
import Testing

@Suite("Rule engine: persistence, restarts, failures")
struct RuleEngineTests {
    static let group = "shop"

    static func rules() throws -> RuleSet {
        RuleSet(groups: [RuleGroup(name: group, file: "rules/shop.yaml", rules: [
            try alertingRule("Pending", "p95(latency[5m]) by (service) > 2s", for: .seconds(30)),
            try alertingRule("Kept", "p95(latency[5m]) by (service) > 2s", keepFiringFor: .seconds(30)),
            try alertingRule("Ends", "p95(latency[5m]) by (service) > 2s"),
        ])])
    }

    /// Pending holds from 0 on; Kept holds at 0 only; Ends holds until 10.
    static let script = ScriptedConditions { rule, time throws(QueryError) in
        let seconds = time.nanoseconds / 1_000_000_000
        switch rule {
        case "Pending": return [sample("checkout", 2500, holds: true)]
        case "Kept": return [sample("checkout", seconds == 0 ? 2500 : 400, holds: seconds == 0)]
        default: return [sample("checkout", seconds <= 10 ? 2500 : 300, holds: seconds <= 10)]
        }
    }

    static func engine(_ fixture: AlertStoreFixture, conditions: any RuleConditionSource = script, sinks: [any AlertTransitionSink] = [],
                       rules: RuleSet? = nil, clock: any ObsClock = ManualClock(now: at(0)), timeout: Duration? = nil) throws -> RuleEngine {
        RuleEngine(rules: try rules ?? Self.rules(), conditions: conditions, store: fixture.store, sinks: sinks, clock: clock,
                   externalURL: "http://obs.example", ruleTimeout: timeout, logger: Logger(label: "test"))
    }

    static func states(_ alerts: [Alert]) -> [String: (AlertState, Timestamp, Timestamp?, Timestamp?)] {
        Dictionary(uniqueKeysWithValues: alerts.map { ($0.alertname, ($0.state, $0.activeAt, $0.firedAt, $0.keepFiringSince)) })
    }

    @Test("a fresh engine over the same file (a restart, kill -9 included) restores pending, firing and keep_firing exactly")
    func restart() async throws {
        let fixture = try AlertStoreFixture()
        defer { fixture.remove() }
        let first = try Self.engine(fixture)
        await first.evaluate(group: Self.group, at: at(0))
        await first.evaluate(group: Self.group, at: at(10))
        let before = Self.states(await first.activeAlerts())
        #expect(before["Pending"]?.0 == .pending && before["Pending"]?.1 == at(0))
        #expect(before["Kept"]?.0 == .firing && before["Kept"]?.3 == at(10))
        #expect(before["Ends"]?.0 == .firing)

        // Nothing shut down: the first engine is simply abandoned, as kill -9 would.
        try fixture.reopen()
        let second = try Self.engine(fixture)
        try await second.restore(at: at(15))
        let after = Self.states(await second.activeAlerts())
        for name in ["Pending", "Kept", "Ends"] {
            #expect(after[name]?.0 == before[name]?.0 && after[name]?.1 == before[name]?.1, "\(name)")
            #expect(after[name]?.2 == before[name]?.2 && after[name]?.3 == before[name]?.3, "\(name)")
        }

        // Ends stopped holding while obs was down: resolved at the first evaluation after start.
        await second.evaluate(group: Self.group, at: at(20))
        // `for` continues from activeAt 0, not from the restart: firing at 30.
        await second.evaluate(group: Self.group, at: at(30))
        // keep_firing_for counts from 10: still firing at 30, resolved at 40.
        await second.evaluate(group: Self.group, at: at(40))

        let history = try await fixture.history().map { ($0.alertname, $0.state, $0.time) }
        let expected: [(String, AlertState, Timestamp)] = [
            ("Pending", .pending, at(0)), ("Kept", .firing, at(0)), ("Ends", .firing, at(0)),
            ("Ends", .resolved, at(20)), ("Pending", .firing, at(30)), ("Kept", .resolved, at(40)),
        ]
        #expect(history.count == expected.count && zip(history, expected).allSatisfy { $0 == $1 }, "\(history)")
    }

    @Test("alerts of a rule that is gone after a restart or a reload are resolved; the others keep their state")
    func removedRules() async throws {
        let fixture = try AlertStoreFixture()
        defer { fixture.remove() }
        let first = try Self.engine(fixture)
        await first.evaluate(group: Self.group, at: at(0))
        try fixture.reopen()
        let onlyPending = RuleSet(groups: [RuleGroup(name: Self.group, file: "x", rules: [try alertingRule("Pending", for: .seconds(30))])])
        let second = try Self.engine(fixture, rules: onlyPending)
        try await second.restore(at: at(5))
        #expect(await second.activeAlerts().map(\.alertname) == ["Pending"])
        let resolved = try await fixture.history().filter { $0.time == at(5) }.map { "\($0.alertname) \($0.state)" }.sorted()
        #expect(resolved == ["Ends resolved", "Kept resolved"])

        await second.replaceRules(.empty, at: at(6))
        #expect(await second.activeAlerts().isEmpty)
        #expect(try await fixture.history().last.map { "\($0.alertname) \($0.state) \($0.time)" } == "Pending inactive \(at(6))")
    }

    @Test("sinks write inside the store's transaction: a sink that throws rolls the transition back and the rule reports it")
    func sinkInTransaction() async throws {
        let fixture = try AlertStoreFixture()
        defer { fixture.remove() }
        let sink = RecordingSink()
        sink.failing.store(true, ordering: .relaxed)
        let rules = RuleSet(groups: [RuleGroup(name: Self.group, file: "x", rules: [try alertingRule("Ends")])])
        let engine = try Self.engine(fixture, sinks: [sink], rules: rules)
        await engine.evaluate(group: Self.group, at: at(0))
        let status = await engine.status(of: RuleKey(group: Self.group, name: "Ends"))
        #expect(status.health == .err && (status.lastError ?? "").contains("storing the alerts' new state failed"))
        #expect(await engine.activeAlerts().isEmpty)
        #expect(try await fixture.history().isEmpty)
        #expect(try await fixture.store.activeAlerts().isEmpty)

        sink.failing.store(false, ordering: .relaxed)
        await engine.evaluate(group: Self.group, at: at(10))
        #expect(await engine.status(of: RuleKey(group: Self.group, name: "Ends")).health == .ok)
        #expect(sink.inTransaction.map(\.state) == [.firing] && sink.afterCommit.map(\.time) == [at(10)])
        #expect(try await fixture.history().map(\.time) == [at(10)])
    }

    @Test("a failing query is the rule's health; its alerts keep their state; other rules still evaluate")
    func failingQuery() async throws {
        let fixture = try AlertStoreFixture()
        defer { fixture.remove() }
        let failing = Atomic<Bool>(false)
        let conditions = ScriptedConditions { rule, time throws(QueryError) in
            if rule == "Ends" && failing.load(ordering: .relaxed) { throw QueryError(at: nil, "this would combine up to 9000000 stored buckets") }
            return [sample("checkout", 2500, holds: true)]
        }
        let engine = try Self.engine(fixture, conditions: conditions)
        await engine.evaluate(group: Self.group, at: at(0))
        failing.store(true, ordering: .relaxed)
        await engine.evaluate(group: Self.group, at: at(10))
        let status = await engine.status(of: RuleKey(group: Self.group, name: "Ends"))
        #expect(status.health == .err && status.lastError == "this would combine up to 9000000 stored buckets")
        #expect(status.lastEvaluation == at(10))
        #expect(Self.states(await engine.activeAlerts())["Ends"]?.0 == .firing)
        #expect(await engine.status(of: RuleKey(group: Self.group, name: "Pending")).health == .ok)
    }

    @Test("a rule whose query overruns the timeout reports it at the deadline; the next rule runs; a second evaluation while it still runs is refused")
    func timeout() async throws {
        let fixture = try AlertStoreFixture()
        defer { fixture.remove() }
        let clock = ManualClock(now: at(0))
        let conditions = ScriptedConditions { rule, time throws(QueryError) in
            if rule == "Pending" {
                // Stuck: wakes only when the test is over and the clock jumps a day.
                try? await clock.sleep(until: at(86_400))
            }
            return [sample("checkout", 2500, holds: true)]
        }
        let engine = try Self.engine(fixture, conditions: conditions, clock: clock, timeout: .seconds(5))
        let evaluation = Task { await engine.evaluate(group: Self.group, at: at(0)) }
        // The stuck query and the deadline's timer both sleep on the clock.
        while clock.sleeperCount < 2 { await Task.yield() }
        clock.advance(to: at(5))
        await evaluation.value
        let pending = await engine.status(of: RuleKey(group: Self.group, name: "Pending"))
        #expect(pending.health == .err && pending.lastError == "the query did not finish within 5s")
        #expect(await engine.status(of: RuleKey(group: Self.group, name: "Kept")).health == .ok)
        #expect(Set(await engine.activeAlerts().map(\.alertname)) == ["Kept", "Ends"])

        let again = Task { await engine.evaluate(group: Self.group, at: at(10)) }
        await again.value
        let refused = await engine.status(of: RuleKey(group: Self.group, name: "Pending"))
        #expect(refused.health == .err && (refused.lastError ?? "").hasPrefix("the previous evaluation is still running"))
        clock.advance(to: at(86_400))
    }

    @Test("history retention deletes old transitions only; the active alerts' state stays")
    func historyRetention() async throws {
        let fixture = try AlertStoreFixture()
        defer { fixture.remove() }
        let engine = try Self.engine(fixture)
        await engine.evaluate(group: Self.group, at: at(0))
        await engine.evaluate(group: Self.group, at: at(20))
        #expect(try await fixture.history().count == 4)
        let deleted = try await fixture.database.deleteAlertTransitions(olderThan: at(10), chunk: 2)
        #expect(deleted == 3)
        #expect(try await fixture.history().map { "\($0.alertname) \($0.state) \($0.time)" } == ["Ends resolved \(at(20))"])
        #expect(Set(try await fixture.store.activeAlerts().map(\.alertname)) == ["Pending", "Kept"])
    }
}
