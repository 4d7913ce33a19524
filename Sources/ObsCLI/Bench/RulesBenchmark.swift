import Foundation
import ObsCore
import ObsStorage

/// `obs bench rules`: what alerting costs and how fast it is (issue 8).
///
/// 1. 500 rules (15 service groups, interval 10 s) evaluated by a daemon ingesting a paced
///    50,000 request-log lines/s over HTTP: each round's wall time (slowest group) and work
///    (sum over groups) from `/api/v1/rules`, failures, rules in error, peak RSS.
/// 2. Unpaced ingest throughput (as `obs bench ingest`) against daemons with the 500 rules
///    and with none, alternating, fresh daemon and data each: the slowdown.
/// 3. Detection latency: one more group (`detect`, loaded by `POST /-/reload` into the
///    daemon of 1, still under its load) whose alert fires at once for a slow request of a
///    new service; time from sending the line to seeing the alert firing.
/// 4. `obs rules test` (the backtest) of 50 rules over the day of rollups `obs bench query`
///    builds (10 M requests, 15 services × 200 routes), read-only from the SQLite file.
public struct RulesBenchmark: Sendable {
    public struct Options: Sendable {
        /// Part 1: seconds of paced load while the rules are watched.
        public var seconds: Double = 60
        public var linesPerSecond = 50_000
        public var pacedConnections = 8
        public var linesPerBatch = 1000
        public var ruleCount = 500
        /// Part 2: seconds per throughput run (4 runs).
        public var throughputSeconds: Double = 60
        public var throughputConnections = 4
        /// Part 3.
        public var trials = 20
        /// Part 4.
        public var observations = 10_000_000
        public var services = 15
        public var routes = 200
        public var hours = 24
        /// Run the backtest on this existing obs.db instead of building a day of rollups.
        public var existingDatabase: String?
        public var skipLoad = false
        public var skipBacktest = false
        public var keepData = false
        public var yardstickRows = 300_000

        public init() {}
    }

    let options: Options
    let progress: @Sendable (String) -> Void

    public init(options: Options, progress: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.progress = progress
    }

    /// Every figure of one run, for the report.
    struct Results {
        var yardstick: SQLiteInsertYardstick.Result
        var evaluation: EvaluationResult?
        var throughput: ThroughputResult?
        var backtest: BacktestResult?
        var partSeconds: [(String, Double)] = []
        var workDirectory: String
    }

    public func run() async throws(CLIError) -> String {
        let workDirectory = try BenchDirectory.fresh("obs-bench-rules")
        defer { if !options.keepData { try? FileManager.default.removeItem(atPath: workDirectory) } }
        var timer = PartTimer()

        var corpus = RequestLogCorpus()
        let now = Timestamp.now().nanoseconds / 1_000
        let bodies = (0..<40).map { corpus.batch(lines: options.linesPerBatch, epochMicroseconds: now + Int64($0 * options.linesPerBatch)) }

        progress("measuring the SQLite yardstick (\(options.yardstickRows) rows)…")
        var ingestOptions = IngestBenchmark.Options()
        ingestOptions.yardstickRows = options.yardstickRows
        ingestOptions.linesPerBatch = options.linesPerBatch
        ingestOptions.connections = options.throughputConnections
        ingestOptions.httpSeconds = options.throughputSeconds
        let ingest = IngestBenchmark(options: ingestOptions, progress: progress)
        var results = Results(yardstick: try ingest.measureYardstick(bodies: bodies, directory: workDirectory), workDirectory: workDirectory)
        timer.lap("yardstick", into: &results)

        if !options.skipLoad {
            let groups = BenchRuleFiles.serviceGroups(services: RequestLogCorpus.services, routes: RequestLogCorpus.routes,
                                                      total: options.ruleCount)
            let rulesDirectory = workDirectory + "/rules-\(options.ruleCount)"
            let rules = try await BenchRuleFiles.write(groups, to: rulesDirectory, file: "bench.yaml")
            guard rules.ruleCount == options.ruleCount else {
                throw CLIError("generated \(rules.ruleCount) rules, not \(options.ruleCount) (the corpus has too few routes)")
            }
            progress("rules: \(rules.summary) in \(rulesDirectory), checked with RuleSetLoader")

            results.evaluation = try await measureEvaluation(groups: groups, workDirectory: workDirectory, bodies: bodies, timer: &timer,
                                                             results: &results)
            results.throughput = try await measureThroughput(rulesDirectory: rulesDirectory, workDirectory: workDirectory,
                                                             ingest: ingest, bodies: bodies)
            timer.lap("2. throughput, 4 runs", into: &results)
        }
        if !options.skipBacktest {
            results.backtest = try await measureBacktest(workDirectory: workDirectory)
            timer.lap("4. backtest (build + run)", into: &results)
        }
        return report(results)
    }
}

/// Wall time of each part, for the report.
struct PartTimer {
    private var last = DispatchTime.now().uptimeNanoseconds

    mutating func lap(_ part: String, into results: inout RulesBenchmark.Results) {
        let now = DispatchTime.now().uptimeNanoseconds
        results.partSeconds.append((part, Double(now - last) / 1e9))
        last = now
    }
}
