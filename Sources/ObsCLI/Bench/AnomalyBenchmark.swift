import Foundation
import Logging
import ObsAggregate
import ObsCore
import ObsQuery
import ObsRules
import ObsStorage

/// `obs bench anomaly`: what anomaly rules cost and how well the detector finds what it
/// should (issue 10).
///
/// 1. Cost: `hours` of rollups of `services` × `routes` (as `obs bench query` builds them),
///    then one rule scoring every route's p95 — `anomaly(p95(latency[1m]) by (service, route),
///    baseline=1h)` — through the real `RuleEngine` at 10 s rounds over the last `rounds`
///    boundaries: the first round rebuilds every detector from the rollups, the others
///    stream. Each round's time, the memory the detectors take per series (resident and
///    stored), the time to store them, and a restarted engine's first round (restore +
///    catch-up).
/// 2. Quality: the detector, two simpler methods (median/MAD, seasonal median), variants of
///    the detector with one part removed each and an ensemble, on the labelled synthetic set
///    (`AnomalySyntheticSet`), paged as a rule `> 3` with `for: 1m` would page.
public struct AnomalyBenchmark: Sendable {
    public struct Options: Sendable {
        public var services = 15
        public var routes = 200
        public var hours = 2
        /// Requests over the hours; default: one per series per 10 s on average.
        public var observations: Int?
        public var rounds = 180
        public var season = "none"
        public var yardstickRows = 300_000
        public var seed: UInt64 = 1
        public var skipCost = false
        /// Only the shipped detector and the two simpler methods (no ablations: ~3× faster).
        public var quick = false
        public var keepData = false

        public init() {}
    }

    let options: Options
    let progress: @Sendable (String) -> Void

    public init(options: Options, progress: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.progress = progress
    }

    struct CostResult {
        var yardstick: SQLiteInsertYardstick.Result
        var requests: Int
        var buildSeconds: Double
        var series: Int
        var rebuildSeconds: Double
        var rounds: LatencySummary
        var residentBytesPerSeries: Double
        var storedBytesPerSeries: Double
        var storeSeconds: Double
        var restartRoundSeconds: Double
        var peakResidentBytes: Int
        var expression: String
    }

    public func run() async throws(CLIError) -> String {
        var report = "obs bench anomaly\n\n"
        if !options.skipCost {
            let directory = try BenchDirectory.fresh("obs-bench-anomaly")
            defer { if !options.keepData { try? FileManager.default.removeItem(atPath: directory) } }
            let cost = try await measureCost(directory: directory)
            report += Self.render(cost, options: options)
            if options.keepData { report += "  data kept in \(directory)\n" }
            report += "\n"
        }
        progress("scoring the labelled synthetic set (seed \(options.seed))…")
        do {
            report += try AnomalyQualityEvaluation.run(seed: options.seed, includeAblations: !options.quick).text
        } catch {
            throw CLIError("the quality part's parameters are invalid: \(error)")
        }
        return report
    }

    func measureCost(directory: String) async throws(CLIError) -> CostResult {
        var queryOptions = QueryBenchmark.Options()
        queryOptions.services = options.services
        queryOptions.routes = options.routes
        queryOptions.hours = options.hours
        queryOptions.observations = options.observations ?? options.services * options.routes * options.hours * 360
        queryOptions.yardstickRows = options.yardstickRows
        let builder = QueryBenchmark(options: queryOptions, progress: progress)
        let layout = builder.dayLayout()
        var generator = LoadGenerator(seed: 42, routes: options.routes)

        let yardstick = try builder.measureYardstick(layout, generator: &generator, directory: directory)

        let path = directory + "/obs.db"
        let database: ObsDatabase
        do { database = try ObsDatabase.open(at: path) } catch { throw CLIError("\(error)") }
        defer { try? database.close() }
        let rollups = SQLiteRollupStore(database: database, merger: LatencySketch.mergeEncoded)
        let buildStarted = DispatchTime.now().uptimeNanoseconds
        _ = try await builder.aggregateDay(layout, generator: &generator, into: rollups)
        let buildSeconds = Self.seconds(since: buildStarted)

        let expression = "anomaly(p95(latency[1m]) by (service, route), baseline=1h, season=\(options.season)) > 3"
        let rules: RuleSet
        do {
            rules = RuleSet(groups: [RuleGroup(name: "anomaly", file: "bench", interval: .seconds(10), rules: [
                AlertingRule(group: "anomaly", name: "RouteLatencyAnomaly", query: expression, expression: try QueryParser.parse(expression),
                             holdDuration: .seconds(60)),
            ])])
        } catch {
            throw CLIError("\(error)")
        }
        let evaluator = QueryEvaluator(source: RollupQuerySource(reader: rollups, aggregator: nil))
        let alerts = SQLiteAlertStore(database: database)
        func engine() -> RuleEngine {
            // The real clock: it times the rule's query out (the evaluation times are given).
            RuleEngine(rules: rules, conditions: evaluator, store: alerts, clock: SystemClock(), externalURL: "", ruleTimeout: .seconds(600),
                       logger: Logger(label: "bench"))
        }
        let first = engine()
        let rounds = (0..<options.rounds).map { Timestamp(nanoseconds: (layout.end - Int64(options.rounds - $0) * 10) * 1_000_000_000) }
        let residentBefore = ProcessMemory.currentResidentBytes()
        progress("round 1: rebuilding every detector from the rollups…")
        var started = DispatchTime.now().uptimeNanoseconds
        await first.evaluate(group: "anomaly", at: rounds[0])
        let rebuildSeconds = Self.seconds(since: started)
        if let error = await first.status(of: rules.groups[0].rules[0].key).lastError { throw CLIError("the anomaly rule failed: \(error)") }
        let series = await first.anomalySeriesCount
        let residentAfter = ProcessMemory.currentResidentBytes()
        progress("\(series) series; \(options.rounds - 1) streaming rounds…")
        var times: [Double] = []
        for time in rounds.dropFirst() {
            started = DispatchTime.now().uptimeNanoseconds
            await first.evaluate(group: "anomaly", at: time)
            times.append(Self.seconds(since: started))
        }
        started = DispatchTime.now().uptimeNanoseconds
        await first.storeAnomalyStates()
        let storeSeconds = Self.seconds(since: started)
        let storedBytes: Int
        do {
            storedBytes = try await alerts.anomalyStates().flatMap(\.calls).flatMap(\.series).reduce(0) { $0 + $1.state.count }
        } catch {
            throw CLIError("reading the stored detectors: \(error)")
        }

        progress("restart: a new engine restores the detectors and evaluates the next round…")
        let second = engine()
        started = DispatchTime.now().uptimeNanoseconds
        do { try await second.restore(at: rounds[rounds.count - 1]) } catch { throw CLIError("\(error)") }
        await second.evaluate(group: "anomaly", at: Timestamp(nanoseconds: layout.end * 1_000_000_000))
        let restartSeconds = Self.seconds(since: started)

        return CostResult(
            yardstick: yardstick, requests: queryOptions.observations, buildSeconds: buildSeconds, series: series,
            rebuildSeconds: rebuildSeconds, rounds: LatencySummary(times),
            residentBytesPerSeries: series > 0 ? Double(max(0, residentAfter - residentBefore)) / Double(series) : 0,
            storedBytesPerSeries: series > 0 ? Double(storedBytes) / Double(series) : 0, storeSeconds: storeSeconds,
            restartRoundSeconds: restartSeconds, peakResidentBytes: ProcessMemory.peakResidentBytes(), expression: expression
        )
    }

    static func render(_ cost: CostResult, options: Options) -> String {
        func number(_ value: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", value) }
        var lines = ["Cost: one anomaly rule over \(options.services) services × \(options.routes) routes, 10 s rounds"]
        lines.append("  yardstick   \(number(cost.yardstick.rowsPerSecond)) rows/s raw SQLite insert (this run; 1,000 rows/transaction, WAL)")
        lines.append("  data        \(cost.requests) requests over \(options.hours) h aggregated and flushed in \(number(cost.buildSeconds, 1)) s")
        lines.append("  rule        \(cost.expression), for: 1m")
        lines.append("  series      \(cost.series) scored")
        lines.append("  round 1     \(number(cost.rebuildSeconds * 1000)) ms (every detector rebuilt from the rollups)")
        lines.append("  rounds 2–\(options.rounds)  p50 \(cost.rounds.milliseconds(50)), p99 \(cost.rounds.milliseconds(99)), max \(cost.rounds.milliseconds(100)) per round (query + scoring + commit)")
        lines.append("  memory      \(number(cost.residentBytesPerSeries)) B resident per series (RSS growth over the rebuild ÷ series), \(number(cost.storedBytesPerSeries)) B stored per series")
        lines.append("  store       \(number(cost.storeSeconds * 1000)) ms to store every detector (one transaction)")
        lines.append("  restart     \(number(cost.restartRoundSeconds * 1000)) ms: restore + first round (catch-up from the stored state)")
        lines.append("  peak RSS    \(cost.peakResidentBytes / 1_048_576) MiB (generator, aggregator, store, engine)")
        return lines.joined(separator: "\n") + "\n"
    }

    static func seconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
