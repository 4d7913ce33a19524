import Logging
import ObsAggregate
import ObsCore
import ObsQuery
import ObsRules
import ObsStorage
import ObsTesting
import Testing

/// Four hours of requests, one every 10 s per service, written through the real aggregator
/// into a real store: `cart` steady at 50 ms ± 5, `checkout` at 100 ms ± 10 until t0 + 3h,
/// then 400 ms ± 10 (a level shift). `from` and `until` (seconds after t0) leave out the
/// requests outside them: a store whose older history is gone, or what was known at a time.
struct AnomalyFixture {
    static let t0: Int64 = 1_790_006_400 // on a day boundary
    static let shift: Int64 = 3 * 3600
    static let end: Int64 = 4 * 3600
    let directory: TemporaryDirectory
    let database: ObsDatabase
    let evaluator: QueryEvaluator

    init(from: Int64 = 0, until: Int64 = AnomalyFixture.end) async throws {
        directory = try TemporaryDirectory("obs-anomaly")
        database = try ObsDatabase.open(at: directory.file("obs.db"))
        var logs: [LogRecord] = []
        for offset in stride(from: from, to: until, by: 10) {
            // A deterministic wiggle: the detector sees spread, not a constant.
            let wiggle = Double((offset * 7919) % 21) - 10
            let checkout = (offset < Self.shift ? 100 : 400) + wiggle
            logs.append(LogRecord(time: at(Self.t0 + offset), service: "checkout", severity: .info, message: "request",
                                  durationMs: checkout, status: 200, route: "/api/pay", method: "POST"))
            logs.append(LogRecord(time: at(Self.t0 + offset), service: "cart", severity: .info, message: "request",
                                  durationMs: 50 + wiggle / 2, status: 200, route: "/api/cart", method: "GET"))
        }
        evaluator = try await storeRollups(of: logs, now: at(Self.t0 + Self.end), in: database)
    }

    func remove() {
        try? database.close()
        directory.remove()
    }

    static let expression = "anomaly(avg(latency[1m]) by (service), baseline=1h) > 3"

    static func rules() throws -> RuleSet {
        RuleSet(groups: [RuleGroup(name: "anomalies", file: "x", interval: .seconds(10), rules: [
            try alertingRule("LatencyAnomaly", expression, group: "anomalies", for: .seconds(60)),
        ])])
    }

    static func engine(_ evaluator: QueryEvaluator, _ alerts: AlertStoreFixture, storeInterval: Duration = .seconds(300)) throws -> RuleEngine {
        RuleEngine(rules: try rules(), conditions: evaluator, store: alerts.store, clock: ManualClock(now: at(t0)), externalURL: "",
                   anomalyStoreInterval: storeInterval, logger: Logger(label: "test"))
    }

    /// The scores of the expression's series side at each instant, each from a fresh
    /// evaluator (no memory: rebuilt from the rollups every time).
    func scores(at times: [Timestamp]) async throws -> [[String: String]: [Double?]] {
        let operand = try QueryParser.parse("anomaly(avg(latency[1m]) by (service), baseline=1h)")
        var scores: [[String: String]: [Double?]] = [:]
        for (index, time) in times.enumerated() {
            for series in try await evaluator.instant(operand, at: time).series {
                scores[series.labels, default: Array(repeating: nil, count: times.count)][index] = series.points.first?.value
            }
        }
        return scores
    }
}

@Suite("anomaly() in rules: live, restarted and backtested detectors agree")
struct AnomalyRuleTests {
    let t0 = AnomalyFixture.t0

    @Test("the level shift pages, then stops once the baseline has adapted; the steady service never scores above 3")
    func levelShift() async throws {
        let fixture = try await AnomalyFixture()
        defer { fixture.remove() }
        let times = stride(from: AnomalyFixture.shift - 600, to: AnomalyFixture.end, by: 60).map { at(t0 + $0) }
        let scores = try await fixture.scores(at: times)
        let checkout = try #require(scores[["service": "checkout"]])
        let cart = try #require(scores[["service": "cart"]])
        #expect(cart.allSatisfy { ($0 ?? 0) <= 3 }, "\(cart)")
        let before = checkout.prefix(10)
        #expect(before.allSatisfy { ($0 ?? 0) <= 3 }, "\(before)")
        #expect(checkout[11].map { $0 > 3 } == true, "one minute after the shift: \(checkout[11] as Any)")
        #expect(checkout.last.map { $0 ?? 0 <= 3 } == true, "an hour after the shift the new level is normal: \(checkout.last as Any)")
    }

    @Test("a range evaluation, instant evaluations with a memory, and instant evaluations from scratch give identical scores")
    func evaluationsAgree() async throws {
        let fixture = try await AnomalyFixture()
        defer { fixture.remove() }
        let start = at(t0 + AnomalyFixture.shift - 300)
        let times = (0..<60).map { start.adding(nanoseconds: Int64($0) * 10_000_000_000) }
        let fresh = try await fixture.scores(at: times)

        let operand = try QueryParser.parse("anomaly(avg(latency[1m]) by (service), baseline=1h)")
        let range = try await fixture.evaluator.range(operand, start: times[0], end: times[times.count - 1], step: .seconds(10))
        let memory = AnomalyMemory()
        var streamed: [[String: String]: [Double?]] = [:]
        for (index, time) in times.enumerated() {
            for series in try await fixture.evaluator.remembering(memory).instant(operand, at: time).series {
                streamed[series.labels, default: Array(repeating: nil, count: times.count)][index] = series.points.first?.value
            }
        }
        #expect(streamed == fresh)
        for series in range.series {
            let values = times.map { time in series.points.first { $0.time == time }?.value }
            #expect(values == fresh[series.labels], "\(series.labels)")
        }
        #expect(memory.seriesCount == 2)
    }

    @Test("causal: adding later data never changes an earlier score")
    func causal() async throws {
        let short = try await AnomalyFixture(until: AnomalyFixture.shift + 120)
        defer { short.remove() }
        let full = try await AnomalyFixture()
        defer { full.remove() }
        let times = stride(from: AnomalyFixture.shift - 120, through: AnomalyFixture.shift + 120, by: 10).map { at(t0 + $0) }
        let known = try await short.scores(at: times)
        #expect(known == (try await full.scores(at: times)))
        #expect(known[["service": "checkout"]]?.contains { ($0 ?? 0) > 3 } == true)
    }

    @Test("the live engine and a backtest over the same data give the same alerts, wherever the engine started")
    func backtestEqualsLive() async throws {
        let fixture = try await AnomalyFixture()
        defer { fixture.remove() }
        let since = AnomalyFixture.shift - 1800
        let alerts = try AlertStoreFixture()
        defer { alerts.remove() }
        // The live engine starts an hour earlier than the backtest: its detectors have
        // streamed since then, the backtest's are rebuilt at `since`.
        let engine = try AnomalyFixture.engine(fixture.evaluator, alerts)
        for offset in stride(from: since - 3600, to: AnomalyFixture.end, by: 10) {
            await engine.evaluate(group: "anomalies", at: at(t0 + offset))
        }
        let live = try await alerts.history().map { "\($0.labels["service"] ?? "") \($0.state.rawValue) \($0.time.nanoseconds / 1_000_000_000 - t0)" }
        let report = await RuleBacktest(rules: try AnomalyFixture.rules(), source: fixture.evaluator, chunkSize: 97)
            .run(since: at(t0 + since), until: at(t0 + AnomalyFixture.end))
        var backtest: [String] = []
        for episode in report.episodes {
            let service = episode.labels["service"] ?? ""
            if let pending = episode.pendingAt { backtest.append("\(service) pending \(pending.nanoseconds / 1_000_000_000 - t0)") }
            if let firing = episode.firingAt { backtest.append("\(service) firing \(firing.nanoseconds / 1_000_000_000 - t0)") }
            if let resolved = episode.resolvedAt { backtest.append("\(service) resolved \(resolved.nanoseconds / 1_000_000_000 - t0)") }
        }
        #expect(!live.isEmpty)
        // The 1 m windows move from the shift + 10 s on; the detector scores the median of the
        // last five samples, so the third moved one (shift + 30 s) is the first to score; for: 1m.
        #expect(live.first == "checkout pending \(AnomalyFixture.shift + 30)", "\(live)")
        #expect(live.contains("checkout firing \(AnomalyFixture.shift + 90)"), "\(live)")
        #expect(backtest == live)
    }

    @Test("a restart resumes the stored detectors: with the older rollups gone, the restarted engine scores as if it never stopped")
    func restartKeepsState() async throws {
        let fixture = try await AnomalyFixture()
        defer { fixture.remove() }
        // The restarted daemon's store has only the last 10 minutes before the restart.
        let restartAt = AnomalyFixture.shift + 30
        let recent = try await AnomalyFixture(from: restartAt - 600)
        defer { recent.remove() }
        let alerts = try AlertStoreFixture()
        defer { alerts.remove() }

        let first = try AnomalyFixture.engine(fixture.evaluator, alerts, storeInterval: .zero)
        let uninterruptedStore = try AlertStoreFixture()
        defer { uninterruptedStore.remove() }
        let uninterrupted = try AnomalyFixture.engine(fixture.evaluator, uninterruptedStore)
        for offset in stride(from: AnomalyFixture.shift - 600, to: restartAt, by: 10) {
            await first.evaluate(group: "anomalies", at: at(t0 + offset))
            await uninterrupted.evaluate(group: "anomalies", at: at(t0 + offset))
        }
        // Nothing shut down: the first engine is abandoned, as kill -9 would.
        try alerts.reopen()
        let second = try AnomalyFixture.engine(recent.evaluator, alerts)
        try await second.restore(at: at(t0 + restartAt))
        #expect(await second.anomalySeriesCount == 2)
        // A fresh engine over the same recent store has no history to score against.
        let freshStore = try AlertStoreFixture()
        defer { freshStore.remove() }
        let fresh = try AnomalyFixture.engine(recent.evaluator, freshStore)
        for offset in stride(from: restartAt, to: restartAt + 120, by: 10) {
            await uninterrupted.evaluate(group: "anomalies", at: at(t0 + offset))
            await second.evaluate(group: "anomalies", at: at(t0 + offset))
            await fresh.evaluate(group: "anomalies", at: at(t0 + offset))
        }
        let kept = await uninterrupted.activeAlerts().map { "\($0.labels["service"] ?? "") \($0.state) \($0.value ?? -1)" }
        let resumed = await second.activeAlerts().map { "\($0.labels["service"] ?? "") \($0.state) \($0.value ?? -1)" }
        #expect(kept.count == 1 && kept.first?.hasPrefix("checkout firing") == true, "\(kept)")
        #expect(resumed == kept)
        #expect(await fresh.activeAlerts().isEmpty)
    }
}
