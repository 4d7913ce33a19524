import Logging
import ObsCore
import ObsQuery
import ObsRules
import ObsStorage
import ObsTesting
import Synchronization
import Testing

@Suite("Rule manager: evaluations on the clock, reloads")
struct RuleManagerTests {
    static func waitFor(_ condition: () async -> Bool) async throws -> Bool {
        for _ in 0..<2000 {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(2))
        }
        return await condition()
    }

    @Test("each group is evaluated at its interval boundaries of the clock, at t − query_offset")
    func boundaries() async throws {
        let fixture = try AlertStoreFixture()
        defer { fixture.remove() }
        let clock = ManualClock(now: at(1_003))
        let rules = RuleSet(groups: [
            RuleGroup(name: "fast", file: "x", interval: .seconds(10), queryOffset: .seconds(3), rules: [try alertingRule("A", group: "fast")]),
            RuleGroup(name: "slow", file: "x", interval: .seconds(30), rules: [try alertingRule("B", group: "slow")]),
        ])
        let conditions = ScriptedConditions { _, _ throws(QueryError) in [] }
        let engine = RuleEngine(rules: rules, conditions: conditions, store: fixture.store, clock: clock, externalURL: "", logger: Logger(label: "test"))
        let manager = RuleManager(engine: engine, load: { .success(rules) }, clock: clock, logger: Logger(label: "test"))
        let running = Task { try await manager.run() }
        #expect(try await Self.waitFor { clock.sleeperCount == 2 })
        #expect(clock.nextDeadline == at(1_010))
        clock.advance(to: at(1_010))
        #expect(try await Self.waitFor { await engine.status(ofGroup: "fast").lastEvaluation == at(1_007) })
        #expect(await engine.status(ofGroup: "slow").lastEvaluation == nil)
        // 1020 is a boundary of both intervals (34 × 30 s).
        clock.advance(to: at(1_020))
        #expect(try await Self.waitFor { await engine.status(ofGroup: "fast").lastEvaluation == at(1_017) })
        #expect(try await Self.waitFor { await engine.status(ofGroup: "slow").lastEvaluation == at(1_020) })
        clock.advance(to: at(1_030))
        #expect(try await Self.waitFor { await engine.status(ofGroup: "fast").lastEvaluation == at(1_027) })
        #expect(await engine.status(ofGroup: "slow").lastEvaluation == at(1_020))
        running.cancel()
        try await running.value
    }

    @Test("a reload during an evaluation lets it finish and store its transitions; alerts of a rule that stays keep their state")
    func reloadDuringEvaluation() async throws {
        let fixture = try AlertStoreFixture()
        defer { fixture.remove() }
        let clock = ManualClock(now: at(1_000))
        let entered = Atomic<Bool>(false)
        let released = Atomic<Bool>(false)
        let conditions = ScriptedConditions { _, _ throws(QueryError) in
            entered.store(true, ordering: .relaxed)
            while !released.load(ordering: .relaxed) { try? await Task.sleep(for: .milliseconds(1)) }
            return [sample("checkout", 2500, holds: true)]
        }
        let rules = RuleSet(groups: [RuleGroup(name: "shop", file: "x", rules: [try alertingRule("Slow", group: "shop")])])
        let reloaded = RuleSet(groups: rules.groups + [RuleGroup(name: "more", file: "y", rules: [try alertingRule("Other", group: "more")])])
        let engine = RuleEngine(rules: rules, conditions: conditions, store: fixture.store, clock: clock, externalURL: "", logger: Logger(label: "test"))
        let manager = RuleManager(engine: engine, load: { .success(reloaded) }, clock: clock, logger: Logger(label: "test"))
        let running = Task { try await manager.run() }
        #expect(try await Self.waitFor { clock.sleeperCount == 1 })
        clock.advance(to: at(1_010))
        #expect(try await Self.waitFor { entered.load(ordering: .relaxed) })

        let reload = Task { await manager.reload() }
        #expect(try await Self.waitFor { await engine.rules.groups.count == 2 })
        released.store(true, ordering: .relaxed)
        _ = await reload.value
        #expect(try await Self.waitFor { await engine.status(ofGroup: "shop").lastEvaluation == at(1_010) })
        let status = await engine.status(of: RuleKey(group: "shop", name: "Slow"))
        #expect(status.health == .ok, "\(status.lastError ?? "")")
        #expect(try await fixture.history().map { "\($0.alertname) \($0.state)" } == ["Slow firing"])
        #expect(await engine.activeAlerts().map(\.alertname) == ["Slow"])
        running.cancel()
        try await running.value
    }
}
