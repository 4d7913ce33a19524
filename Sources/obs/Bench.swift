import ArgumentParser
import Foundation
import ObsCLI

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure obs on this machine (build with -c release).",
        subcommands: [Ingest.self, Spans.self, Query.self]
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
