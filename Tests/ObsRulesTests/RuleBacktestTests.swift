import Logging
import ObsAggregate
import ObsCore
import ObsQuery
import ObsRules
import ObsStorage
import ObsTesting
import Testing

/// Half an hour of checkout requests, one every 10 s from t0: 100 ms, except 3,000 ms in
/// [t0+600, t0+840); status 500 in [t0+1200, t0+1260). Written to a real store through the
/// real aggregator, as the daemon writes it.
struct BacktestFixture {
    static let t0: Int64 = 1_790_000_000
    let directory: TemporaryDirectory
    let database: ObsDatabase
    let evaluator: QueryEvaluator

    init() async throws {
        directory = try TemporaryDirectory("obs-backtest")
        database = try ObsDatabase.open(at: directory.file("obs.db"))
        var logs: [LogRecord] = []
        for offset in stride(from: Int64(0), to: 1800, by: 10) {
            let slow = (600..<840).contains(offset)
            let failed = (1200..<1260).contains(offset)
            logs.append(LogRecord(time: at(Self.t0 + offset), service: "checkout", severity: failed ? .error : .info, message: "request",
                                  durationMs: slow ? 3000 : 100, status: failed ? 500 : 200, route: "/api/pay", method: "POST"))
        }
        evaluator = try await storeRollups(of: logs, now: at(Self.t0 + 1800), in: database)
    }

    func remove() {
        try? database.close()
        directory.remove()
    }

    static func rules() throws -> RuleSet {
        RuleSet(groups: [RuleGroup(name: "checkout", file: "x", interval: .seconds(10), rules: [
            try alertingRule("CheckoutSlow", #"max(latency{service="checkout"}[1m]) > 2s"#, group: "checkout", for: .seconds(60)),
            try alertingRule("CheckoutFailing", #"error_rate{service="checkout"}[1m] > 10%"#, group: "checkout"),
        ])])
    }
}

@Suite("Backtests: stored history through the rules in event time")
struct RuleBacktestTests {
    let t0 = BacktestFixture.t0

    /// By hand: a window [t−60 s, t) holds the slow requests (600…830) for t = 610…890, so
    /// the slow rule is pending at 610, fires at 670 (for 1m), resolves at 900. The error
    /// window holds a failure for t = 1210…1310 (1 in 6 is 16.7 % > 10 %; at 1260 all six
    /// failed: the peak); for 0s fires at 1210 and resolves at 1320.
    @Test("the episodes are exactly the hand-computed ones")
    func episodes() async throws {
        let fixture = try await BacktestFixture()
        defer { fixture.remove() }
        let report = await RuleBacktest(rules: try BacktestFixture.rules(), source: fixture.evaluator)
            .run(since: at(t0), until: at(t0 + 1800))
        let expected = [
            AlertEpisode(group: "checkout", alertname: "CheckoutSlow", labels: ["alertname": "CheckoutSlow", "service": "checkout"],
                         pendingAt: at(t0 + 610), firingAt: at(t0 + 670), resolvedAt: at(t0 + 900), peakValue: 3000),
            AlertEpisode(group: "checkout", alertname: "CheckoutFailing", labels: ["alertname": "CheckoutFailing", "service": "checkout"],
                         pendingAt: nil, firingAt: at(t0 + 1210), resolvedAt: at(t0 + 1320), peakValue: 1),
        ]
        #expect(report.episodes == expected, "\(report.episodes)")
        #expect(report.episodes.map { $0.firingSeconds(until: report.until) } == [230, 110])
        #expect(report.summary == [
            BacktestRuleSummary(group: "checkout", alertname: "CheckoutSlow", evaluations: 180, episodes: 1, pendingOnly: 0, firingSeconds: 230),
            BacktestRuleSummary(group: "checkout", alertname: "CheckoutFailing", evaluations: 180, episodes: 1, pendingOnly: 0, firingSeconds: 110),
        ])
    }

    @Test("the chunk size changes nothing: a range evaluation gives each instant the window an instant evaluation gives it")
    func chunking() async throws {
        let fixture = try await BacktestFixture()
        defer { fixture.remove() }
        let whole = await RuleBacktest(rules: try BacktestFixture.rules(), source: fixture.evaluator, chunkSize: 360).run(since: at(t0), until: at(t0 + 1800))
        let small = await RuleBacktest(rules: try BacktestFixture.rules(), source: fixture.evaluator, chunkSize: 7).run(since: at(t0), until: at(t0 + 1800))
        #expect(whole == small)
    }

    @Test("the daemon's engine evaluating each instant live stores the same transitions the backtest reports")
    func sameAsLive() async throws {
        let fixture = try await BacktestFixture()
        defer { fixture.remove() }
        let alerts = try AlertStoreFixture()
        defer { alerts.remove() }
        let rules = try BacktestFixture.rules()
        let engine = RuleEngine(rules: rules, conditions: fixture.evaluator, store: alerts.store, clock: ManualClock(now: at(t0)),
                                externalURL: "", logger: Logger(label: "test"))
        for offset in stride(from: Int64(0), to: 1800, by: 10) {
            await engine.evaluate(group: "checkout", at: at(t0 + offset))
        }
        let live = try await alerts.history().map { "\($0.alertname) \($0.state.rawValue) \($0.time.nanoseconds / 1_000_000_000 - t0)" }
        #expect(live == ["CheckoutSlow pending 610", "CheckoutSlow firing 670", "CheckoutSlow resolved 900",
                         "CheckoutFailing firing 1210", "CheckoutFailing resolved 1320"])
        // The resolution carries the value that resolved it: the window's max is back to 100 ms.
        let resolution = try await alerts.history().first { $0.state == .resolved }
        #expect(resolution?.value == 100)
    }

    @Test("query_offset shifts every evaluation; --rule limits the run; an instant grid starts at the first boundary")
    func offsetsAndSelection() async throws {
        let fixture = try await BacktestFixture()
        defer { fixture.remove() }
        var rules = try BacktestFixture.rules()
        rules.groups[0].queryOffset = .seconds(30)
        let report = await RuleBacktest(rules: rules, source: fixture.evaluator).run(since: at(t0 + 5), until: at(t0 + 1800), rule: "CheckoutSlow")
        #expect(report.summary.map(\.alertname) == ["CheckoutSlow"])
        // Boundaries t0+10 … t0+1790, each evaluated 30 s earlier.
        #expect(report.summary.first?.evaluations == 179)
        #expect(report.episodes.first?.pendingAt == at(t0 + 610) && report.episodes.first?.resolvedAt == at(t0 + 900))
    }
}
