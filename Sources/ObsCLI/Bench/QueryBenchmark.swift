import Foundation
import Logging
import ObsAggregate
import ObsCore
import ObsQuery
import ObsStorage
import Synchronization

/// `obs bench query`: builds a day of rollups the way the daemon does — request records
/// through the `EventTimeAggregator` and the `RollupFlusher`, on a simulated clock — then
/// times the on-call questions over them and checks a merged p95 against the exact one.
///
/// Load: `observations` requests spread evenly over `hours`, a service each (uniformly),
/// a route each from a Zipf(1) popularity over `routes` routes per service (one method each),
/// log-normal latencies whose median depends on the route, 0.1 % errors.
public struct QueryBenchmark: Sendable {
    public struct Options: Sendable {
        public var observations = 10_000_000
        public var services = 15
        public var routes = 200
        public var hours = 24
        public var repetitions = 20
        public var yardstickRows = 300_000
        public var keepData = false
        /// Time the questions on this existing store instead of generating a day of data.
        public var existingDatabase: String?

        public init() {}
    }

    static let serviceNames = ["checkout", "gateway", "catalog", "cart", "payment", "inventory", "notification", "user",
                               "session", "search", "recommendation", "order", "shipping", "pricing", "frontend"]

    let options: Options
    let progress: @Sendable (String) -> Void

    public init(options: Options, progress: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.progress = progress
    }

    public func run() async throws(CLIError) -> String {
        if let path = options.existingDatabase { return try await runOnExisting(path) }
        let directory = try BenchDirectory.fresh("obs-bench-query")
        defer { if !options.keepData { try? FileManager.default.removeItem(atPath: directory) } }

        let day = dayLayout()
        var generator = LoadGenerator(seed: 42, routes: options.routes)

        let yardstick = try measureYardstick(day, generator: &generator, directory: directory)

        let database: ObsDatabase
        do {
            database = try ObsDatabase.open(at: directory + "/obs.db")
        } catch {
            throw CLIError("\(error)")
        }
        defer { try? database.close() }
        let store = SQLiteRollupStore(database: database, merger: LatencySketch.mergeEncoded)
        let built = try await aggregateDay(day, generator: &generator, into: store)
        var checkoutLatencies = built.checkoutLatencies
        let (aggregationSeconds, flushSeconds) = (built.aggregationSeconds, built.flushSeconds)

        let footprint: (rows: Int, bytes: Int)
        do { footprint = try await database.rollupFootprint() } catch { throw CLIError("\(error)") }

        progress("timing queries (\(options.repetitions) runs each)…")
        var (lines, answers) = try await timeQuestions(store: store, end: day.end)
        lines.append(try await timeSLOReport(store: store, end: day.end))

        checkoutLatencies.sort()
        let exact = checkoutLatencies.isEmpty ? 0 : checkoutLatencies[Int(0.95 * Double(checkoutLatencies.count - 1))]
        let merged = answers.first?.series.first?.points.first?.value ?? .nan
        let storedHours = Double(options.hours)

        return """
            obs bench query — \(options.observations) requests, \(options.services) services × \(options.routes) routes (one method each), \(options.hours) h
              SQLite yardstick (raw insert, same machine, same run): \(Int(yardstick.rowsPerSecond)) rows/s
              aggregation (aggregator + flusher, simulated clock): \(Int(Double(options.observations) / aggregationSeconds)) requests/s, of which flushing \(String(format: "%.1f", flushSeconds)) s of \(String(format: "%.1f", aggregationSeconds)) s
              rollups stored: \(footprint.rows) rows, \(footprint.bytes / 1_048_576) MiB → \(Int(Double(footprint.bytes) / storedHours * 24 / 1_048_576)) MiB per day of data (10 s + 1 m + 1 h rows, before retention)
            queries (in-process evaluator over SQLite, \(options.repetitions) runs each):
            \(lines.joined(separator: "\n"))
            accuracy: checkout p95 over 24 h merged from rollups \(String(format: "%.2f", merged)) ms, exact \(String(format: "%.2f", exact)) ms (\(String(format: "%.3f", abs(merged - exact) / exact * 100)) % off; the sketch guarantees ≤ 1 %)
            peak RSS: \(ProcessMemory.peakResidentBytes() / 1_048_576) MiB
            \(options.keepData ? "data kept in \(directory)\n" : "")
            """
    }
}

extension QueryBenchmark {
    /// The on-call questions, each evaluated `repetitions` times at the end of the data.
    func timeQuestions(store: SQLiteRollupStore, end: Int64) async throws(CLIError) -> (lines: [String], answers: [QueryResult]) {
        let evaluator = QueryEvaluator(source: RollupQuerySource(reader: store, aggregator: nil))
        let now = Timestamp(nanoseconds: end * 1_000_000_000)
        let dayAgo = Timestamp(nanoseconds: (end - 24 * 3600) * 1_000_000_000)
        let questions: [(String, QueryRequest)] = [
            ("instant", QueryRequest(expression: "p95(latency{service=\"checkout\"}[24h])", evaluation: .instant(now))),
            ("range 24 h, step 1 m", QueryRequest(expression: "p95(latency[5m]) by (service)",
                                                  evaluation: .range(start: dayAgo, end: now, step: .seconds(60)))),
            ("instant", QueryRequest(expression: "error_rate{service=\"checkout\"}[1h] by (route)",
                                     evaluation: .instant(now.adding(nanoseconds: -17_000_000_000)))),
        ]
        var lines: [String] = []
        var answers: [QueryResult] = []
        for (label, question) in questions {
            var seconds: [Double] = []
            var answer: QueryResult?
            for _ in 0..<options.repetitions {
                let started = DispatchTime.now().uptimeNanoseconds
                do { answer = try await evaluator.run(question) } catch { throw CLIError("\(question.expression): \(error)") }
                seconds.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
            }
            let summary = LatencySummary(seconds)
            let points = answer.map { $0.series.reduce(0) { $0 + $1.points.count } } ?? 0
            lines.append("  \(question.expression)  (\(label))\n    p50 \(summary.milliseconds(50)), p95 \(summary.milliseconds(95)), max \(summary.milliseconds(100)); \(answer?.series.count ?? 0) series, \(points) points")
            if let answer { answers.append(answer) }
        }
        return (lines, answers)
    }

    /// `--db PATH`: the same questions over a store that exists already, ending at its last minute.
    func runOnExisting(_ path: String) async throws(CLIError) -> String {
        let database = try ReadOnlyStore.open(path)
        defer { try? database.close() }
        let end = try await ReadOnlyStore.rollupsEnd(database, path: path)
        let store = SQLiteRollupStore(database: database, merger: LatencySketch.mergeEncoded)
        progress("timing queries (\(options.repetitions) runs each)…")
        var (lines, _) = try await timeQuestions(store: store, end: end)
        lines.append(try await timeSLOReport(store: store, end: end))
        return """
            obs bench query --db \(path) (rollups up to \(Timestamp(nanoseconds: end * 1_000_000_000)))
            \(lines.joined(separator: "\n"))
            peak RSS: \(ProcessMemory.peakResidentBytes() / 1_048_576) MiB

            """
    }
}

extension QueryBenchmark {
    /// The day `obs bench query` builds: `services` × `routes` names and `hours` ending at the
    /// last whole minute, in Unix seconds.
    struct DayLayout: Sendable {
        var services: [String]
        var routes: [String]
        var start: Int64
        var end: Int64
    }

    struct BuiltDay: Sendable {
        var aggregationSeconds: Double
        var flushSeconds: Double
        /// The exact latencies of the first service over the last 24 h, to check merged percentiles against.
        var checkoutLatencies: [Double]
    }

    /// The raw SQLite insert rate of `yardstickRows` of the generator's request logs: the
    /// yardstick every figure of the run is read against.
    func measureYardstick(_ day: DayLayout, generator: inout LoadGenerator, directory: String) throws(CLIError) -> SQLiteInsertYardstick.Result {
        progress("measuring the SQLite yardstick (\(options.yardstickRows) rows)…")
        var sample: [LogRecord] = []
        sample.reserveCapacity(options.yardstickRows)
        for index in 0..<options.yardstickRows {
            sample.append(generator.record(at: Timestamp(nanoseconds: (day.start + Int64(index)) * 1_000_000_000),
                                           services: day.services, routes: day.routes))
        }
        do {
            return try SQLiteInsertYardstick.measure(records: sample, rowsPerTransaction: 1000, directory: directory)
        } catch {
            throw CLIError("yardstick: \(error)")
        }
    }

    func dayLayout() -> DayLayout {
        let services = (0..<options.services).map { $0 < Self.serviceNames.count ? Self.serviceNames[$0] : "service-\($0)" }
        let routes = (0..<options.routes).map { "/api/v1/resource-\($0)/{id}" }
        let end = Timestamp.now().nanoseconds / 1_000_000_000 / 60 * 60
        return DayLayout(services: services, routes: routes, start: end - Int64(options.hours) * 3600, end: end)
    }

    /// Aggregates `observations` requests of `generator` spread evenly over the day into
    /// `store`, through the `EventTimeAggregator` and the `RollupFlusher` on a simulated clock,
    /// flushing every 10 s of simulated time as the daemon does, and everything at the end.
    func aggregateDay(_ day: DayLayout, generator: inout LoadGenerator, into store: SQLiteRollupStore) async throws(CLIError) -> BuiltDay {
        let (services, routes, start, end) = (day.services, day.routes, day.start, day.end)
        let aggregator = EventTimeAggregator()
        let clock = BenchClock(now: Timestamp(nanoseconds: start * 1_000_000_000))
        let flusher = RollupFlusher(aggregator: aggregator, writer: store, logger: .init(label: "bench"), clock: clock)

        // Exact latencies of one service, to check the merged answer against.
        var checkoutLatencies: [Double] = []
        checkoutLatencies.reserveCapacity(options.observations / max(1, options.services) + 1000)
        progress("aggregating \(options.observations) requests over \(options.hours) h…")
        let span = Double(end - start) * 1e9
        let batchSize = 10_000
        var batch: [LogRecord] = []
        batch.reserveCapacity(batchSize)
        var lastFlush = start
        let aggregationStarted = DispatchTime.now().uptimeNanoseconds
        var flushSeconds = 0.0
        for index in 0..<options.observations {
            let time = Timestamp(nanoseconds: start * 1_000_000_000 + Int64(Double(index) / Double(options.observations) * span))
            let record = generator.record(at: time, services: services, routes: routes)
            // The accuracy check's question covers the last 24 h.
            if record.service == services[0], time.nanoseconds >= (end - 86_400) * 1_000_000_000, let duration = record.durationMs {
                checkoutLatencies.append(duration)
            }
            batch.append(record)
            if batch.count == batchSize || index == options.observations - 1 {
                aggregator.observe(logs: batch, spans: [], now: time)
                clock.set(time)
                batch.removeAll(keepingCapacity: true)
                let seconds = time.nanoseconds / 1_000_000_000
                if seconds - lastFlush >= 10 {
                    let flushStarted = DispatchTime.now().uptimeNanoseconds
                    do { try await flusher.flush() } catch { throw CLIError("\(error)") }
                    flushSeconds += Double(DispatchTime.now().uptimeNanoseconds - flushStarted) / 1e9
                    lastFlush = seconds
                }
                if index % 1_000_000 < batchSize { progress("  \(index / 1_000_000) M requests aggregated") }
            }
        }
        do { try await flusher.flush(everything: true) } catch { throw CLIError("\(error)") }
        let aggregationSeconds = Double(DispatchTime.now().uptimeNanoseconds - aggregationStarted) / 1e9
        return BuiltDay(aggregationSeconds: aggregationSeconds, flushSeconds: flushSeconds, checkoutLatencies: checkoutLatencies)
    }
}
