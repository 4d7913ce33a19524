import ArgumentParser
import Foundation
import ObsCLI

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure obs on this machine (build with -c release).",
        subcommands: [Ingest.self, Spans.self, Query.self, Rules.self, Notify.self, Anomaly.self]
    )

    /// Runs a benchmark with progress on a terminal's stderr (quiet when piped) and prints
    /// its report, or the failure as one line.
    static func report(_ benchmark: (@escaping @Sendable (String) -> Void) async throws(CLIError) -> String) async throws {
        let showProgress = isatty(STDERR_FILENO) != 0
        do {
            print(try await benchmark { message in
                if showProgress { FileHandle.standardError.write(Data("\(message)\n".utf8)) }
            }, terminator: "")
        } catch {
            FileHandle.standardError.write(Data("obs: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

extension Bench {
    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ingest throughput, latency and memory over HTTP and UDP, with the raw SQLite insert rate as yardstick."
        )

        @Option(help: "Seconds of HTTP load.")
        var seconds: Double = 20

        @Option(help: "Concurrent HTTP connections.")
        var connections: Int = 4

        @Option(help: "NDJSON lines per HTTP request.")
        var batchLines: Int = 1000

        @Option(help: "UDP rates to try, lines per second, comma-separated.")
        var udpRates: String = "20000"

        @Option(help: "Seconds of UDP load per rate.")
        var udpSeconds: Double = 5

        @Option(help: "Rows inserted for the SQLite yardstick.")
        var yardstickRows: Int = 300_000

        @Flag(help: "Keep the daemon's data directory and print where it is.")
        var keepData = false

        @Flag(inversion: .prefixedNo, help: "Run the daemon with aggregation (--no-aggregation measures what it costs).")
        var aggregation = true

        func run() async throws {
            var options = IngestBenchmark.Options()
            options.aggregation = aggregation
            options.httpSeconds = seconds
            options.connections = connections
            options.linesPerBatch = batchLines
            options.udpRates = udpRates.split(separator: ",").compactMap { Int($0) }
            options.udpSeconds = udpSeconds
            options.yardstickRows = yardstickRows
            options.keepData = keepData
            try await Bench.report { progress throws(CLIError) in
                try await IngestBenchmark(options: options, progress: progress).run()
            }
        }
    }
}

extension Bench {
    struct Spans: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Span ingest over OTLP protobuf and native JSON, and reading a 200-span trace back."
        )

        @Option(help: "Seconds of load per encoding.")
        var seconds: Double = 20

        @Option(help: "Concurrent HTTP connections.")
        var connections: Int = 4

        func run() async throws {
            var options = SpanBenchmark.Options()
            options.secondsPerEncoding = seconds
            options.connections = connections
            try await Bench.report { progress throws(CLIError) in
                try await SpanBenchmark(options: options, progress: progress).run()
            }
        }
    }
}

extension Bench {
    struct Query: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Query latency over a day of rollups built by the real aggregator, rollup size per day, and p95 accuracy."
        )

        @Option(help: "Request observations to aggregate.")
        var observations: Int = 10_000_000

        @Option(help: "Services.")
        var services: Int = 15

        @Option(help: "Routes per service.")
        var routes: Int = 200

        @Option(help: "Hours of data, ending now.")
        var hours: Int = 24

        @Option(help: "Runs of each query.")
        var repetitions: Int = 20

        @Flag(help: "Keep the database and print where it is.")
        var keepData = false

        @Option(help: "Time the queries on this existing obs.db instead of generating data.")
        var db: String?

        func run() async throws {
            var options = QueryBenchmark.Options()
            options.existingDatabase = db
            options.observations = observations
            options.services = services
            options.routes = routes
            options.hours = hours
            options.repetitions = repetitions
            options.keepData = keepData
            try await Bench.report { progress throws(CLIError) in
                try await QueryBenchmark(options: options, progress: progress).run()
            }
        }
    }
}

extension Bench {
    struct Rules: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Alerting: 500 rules every 10 s under a 50,000 lines/s load, the ingest slowdown they cause, detection latency, and a day's backtest.",
            discussion: """
                1. a daemon with --rule-count generated rules under a paced load of --rate lines/s for --seconds, its rule groups' \
                evaluation times read from /api/v1/rules; 2. unpaced ingest against daemons with those rules and with none, alternating; \
                3. on the daemon of 1, still loaded, one more group (POST /-/reload) and --trials slow requests until their alert fires; \
                4. obs rules test of 50 rules over the day of rollups obs bench query builds (or --db PATH).
                """
        )

        @Option(help: "Seconds of paced load while the rules are watched (part 1).")
        var seconds: Double = 60

        @Option(help: "Paced load, request-log lines per second (parts 1 and 3).")
        var rate: Int = 50_000

        @Option(help: "HTTP connections of the paced load.")
        var connections: Int = 8

        @Option(help: "NDJSON lines per HTTP request.")
        var batchLines: Int = 1000

        @Option(help: "Rules in the 15 service groups.")
        var ruleCount: Int = 500

        @Option(help: "Seconds of each of the 4 unpaced throughput runs (part 2).")
        var throughputSeconds: Double = 60

        @Option(help: "Detection trials (part 3; 0 skips them).")
        var trials: Int = 20

        @Option(help: "Requests in the backtest's day of rollups (part 4).")
        var observations: Int = 10_000_000

        @Option(help: "Services in the backtest's data.")
        var services: Int = 15

        @Option(help: "Routes per service in the backtest's data.")
        var routes: Int = 200

        @Option(help: "Hours of backtest data, ending now.")
        var hours: Int = 24

        @Option(help: "Backtest this existing obs.db (from obs bench query --keep-data) instead of building a day.")
        var db: String?

        @Option(help: "Rows inserted for the SQLite yardstick.")
        var yardstickRows: Int = 300_000

        @Flag(help: "Skip parts 1–3 (the daemons under load).")
        var skipLoad = false

        @Flag(help: "Skip part 4 (the backtest).")
        var skipBacktest = false

        @Flag(help: "Keep the work directory (rules, the daemon's data of parts 1 and 3, the backtest's obs.db) and print where it is.")
        var keepData = false

        func run() async throws {
            var options = RulesBenchmark.Options()
            options.seconds = seconds
            options.linesPerSecond = rate
            options.pacedConnections = connections
            options.linesPerBatch = batchLines
            options.ruleCount = ruleCount
            options.throughputSeconds = throughputSeconds
            options.trials = trials
            options.observations = observations
            options.services = services
            options.routes = routes
            options.hours = hours
            options.existingDatabase = db
            options.yardstickRows = yardstickRows
            options.skipLoad = skipLoad
            options.skipBacktest = skipBacktest
            options.keepData = keepData
            try await Bench.report { progress throws(CLIError) in
                try await RulesBenchmark(options: options, progress: progress).run()
            }
        }
    }
}

extension NotifyBenchmark.Scenario: ExpressibleByArgument {}

extension Bench {
    struct Notify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Notifications: a burst of 1,000 alerts in 50 groups, the outbox's throughput, and a receiver outage with the backlog's delivery checked.",
            discussion: """
                burst: 1,000 alerts fire at one evaluation in 50 groups (group_wait 0s) — firing → POST arrival per alert, exactly 50 POSTs \
                of 20; then 10,000 alerts in 2,000 groups — notifications delivered per second, composed → arrival. down: the receiver \
                refuses connections for --down while 20 groups fire and resolve every 30 s, then listens — every notification delivered, \
                each idempotency key once, each group in the outbox's order, the drain time. A failed check exits 1 after the report.
                """
        )

        @Option(help: "Which scenario: burst, down or all.")
        var scenario: NotifyBenchmark.Scenario = .all

        @Option(help: "How long the receiver is down in the down scenario, real time (e.g. 10m, 90s).")
        var down: String = "10m"

        @Flag(help: "Keep the work directory (each daemon's data, log, config and rules) and print where it is.")
        var keepData = false

        func run() async throws {
            guard let downSeconds = NotifyBenchmark.seconds(down) else {
                throw ValidationError("--down: \"\(down)\" is not a positive duration (e.g. 10m, 90s)")
            }
            var options = NotifyBenchmark.Options()
            options.scenario = scenario
            options.downSeconds = downSeconds
            options.keepData = keepData
            try await Bench.report { progress throws(CLIError) in
                let outcome = try await NotifyBenchmark(options: options, progress: progress).run()
                guard outcome.failures.isEmpty else {
                    // The figures, then the verdict as one line (stderr) and exit 1.
                    print(outcome.report, terminator: "")
                    throw CLIError("bench notify: \(outcome.failures.count) check\(outcome.failures.count == 1 ? "" : "s") FAILED — \(outcome.failures[0])"
                                   + (outcome.failures.count > 1 ? " (and \(outcome.failures.count - 1) more, listed above)" : ""))
                }
                return outcome.report
            }
        }
    }
}

extension Bench {
    struct Anomaly: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Anomaly detection: the cost of scoring 3,000 series every 10 s, and the detector's precision, recall and delay on a labelled synthetic set.",
            discussion: """
                1. --hours of rollups of --services × --routes, then one rule anomaly(p95(latency[1m]) by (service, route), baseline=1h) \
                through the rule engine for --rounds 10 s rounds: the rebuild, each streaming round, memory per series, storing, a restart. \
                2. The labelled synthetic set (generated from --seed): the shipped detector and two simpler methods, paged as \
                anomaly(…) > 3 with for: 1m.
                """
        )

        @Option(help: "Services in the cost part's data.")
        var services: Int = 15

        @Option(help: "Routes per service.")
        var routes: Int = 200

        @Option(help: "Hours of rollups, ending now.")
        var hours: Int = 2

        @Option(help: "10 s rounds evaluated.")
        var rounds: Int = 180

        @Option(help: "The rule's season: none, 1d or 1w.")
        var season: String = "none"

        @Option(help: "Seed of the labelled synthetic set.")
        var seed: UInt64 = 1

        @Option(help: "Rows inserted for the SQLite yardstick.")
        var yardstickRows: Int = 300_000

        @Flag(help: "Only the quality part.")
        var skipCost = false

        @Flag(help: "Quality part: only the shipped detector and the two simpler methods, no variants.")
        var quick = false

        @Flag(help: "Keep the work directory (the obs.db with rollups and stored detectors) and print where it is.")
        var keepData = false

        func run() async throws {
            guard ["none", "1d", "1w"].contains(season) else { throw ValidationError("--season: \"\(season)\" is not none, 1d or 1w") }
            guard rounds >= 2 else { throw ValidationError("--rounds: at least 2") }
            var options = AnomalyBenchmark.Options()
            options.services = services
            options.routes = routes
            options.hours = hours
            options.rounds = rounds
            options.season = season
            options.seed = seed
            options.yardstickRows = yardstickRows
            options.skipCost = skipCost
            options.quick = quick
            options.keepData = keepData
            try await Bench.report { progress throws(CLIError) in
                try await AnomalyBenchmark(options: options, progress: progress).run()
            }
        }
    }
}
