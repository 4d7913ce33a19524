import Foundation
import ObsCore
import ObsIngest
import ObsStorage

/// `obs bench spans`: span ingest over OTLP/HTTP protobuf and native JSON in batches of 512
/// (3–8 spans a trace, 10 attributes each), then `GET /api/v1/traces/{id}` for a 200-span
/// trace among everything stored, with the raw SQLite insert rate of the same span rows.
public struct SpanBenchmark: Sendable {
    public struct Options: Sendable {
        public var secondsPerEncoding: Double = 20
        public var connections = 4
        public var spansPerBatch = 512
        public var yardstickSpans = 200_000
        public var queries = 50

        public init() {}
    }

    let options: Options
    let progress: @Sendable (String) -> Void

    public init(options: Options, progress: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.progress = progress
    }

    struct Phase: Sendable {
        var name: String
        var accepted = 0
        var requests = 0
        var failures: [Int: Int] = [:]
        var seconds = 0.0
        var latencies: [Double] = []
    }

    public func run() async throws(CLIError) -> String {
        let workDirectory = try BenchDirectory.fresh("obs-bench-spans")
        defer { try? FileManager.default.removeItem(atPath: workDirectory) }

        progress("measuring the SQLite yardstick (\(options.yardstickSpans) spans)…")
        var corpus = SpanCorpus()
        let yardstick: SQLiteInsertYardstick.Result
        do {
            yardstick = try SQLiteInsertYardstick.measure(spans: corpus.spans(options.yardstickSpans, startingAt: .now()), directory: workDirectory)
        } catch {
            throw CLIError("yardstick: \(error)")
        }

        progress("starting obs serve…")
        let daemon = try BenchDaemon(dataDir: workDirectory + "/data", rules: BenchDaemon.emptyRulesDirectory(in: workDirectory))
        var phases: [Phase] = []
        for encoding in ["protobuf", "json"] {
            progress("\(encoding): \(options.connections) connections for \(Int(options.secondsPerEncoding)) s…")
            phases.append(await load(port: daemon.httpPort, encoding: encoding))
        }

        progress("a 200-span trace among the stored spans…")
        let query = try await traceQuery(port: daemon.httpPort)
        let peakRSS = daemon.peakResidentBytes
        let exitStatus = daemon.stop()
        var storedSpans: Int?
        if let database = try? ObsDatabase.openReadOnly(at: workDirectory + "/data/obs.db") {
            storedSpans = try? await database.spanCount()
            try? database.close()
        }

        var lines = ["obs bench spans — \(ProcessInfo.processInfo.activeProcessorCount) cores, \(IngestBenchmark.cpuModel())", ""]
        for phase in phases {
            let latencies = LatencySummary(phase.latencies)
            lines.append("\(phase.name)  \(options.connections) connections × batches of \(options.spansPerBatch) spans, \(String(format: "%.1f", phase.seconds)) s")
            lines.append("  accepted         \(phase.accepted) spans in \(phase.requests) requests\(phase.failures.isEmpty ? "" : ", failures: \(phase.failures)")")
            lines.append("  throughput       \(String(format: "%.0f", Double(phase.accepted) / phase.seconds)) spans/s")
            lines.append("  request latency  p50 \(latencies.milliseconds(50)), p99 \(latencies.milliseconds(99)), max \(latencies.milliseconds(100))")
        }
        lines.append("yardstick          \(String(format: "%.0f", yardstick.rowsPerSecond)) spans/s raw SQLite insert of the same rows (spans table and indexes, 512 rows/transaction, WAL)")
        lines.append("trace query        200-span trace among \(storedSpans.map(String.init) ?? "?") stored spans, \(options.queries) requests: "
                     + "p50 \(query.milliseconds(50)), p99 \(query.milliseconds(99)) (HTTP round trip)")
        lines.append("Daemon peak RSS    \(String(format: "%.1f", Double(peakRSS) / 1_048_576)) MiB")
        lines.append("Daemon exit        \(exitStatus) after SIGINT")
        if exitStatus != 0 { lines.append("Daemon log tail:\n" + daemon.logTail()) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One thread per connection; each builds a fresh batch (new ids, current time) per request.
    func load(port: Int, encoding: String) async -> Phase {
        let started = DispatchTime.now().uptimeNanoseconds
        let deadline = started + UInt64(options.secondsPerEncoding * 1e9)
        let result = Tally(Phase(name: encoding == "protobuf" ? "OTLP protobuf" : "native JSON"))
        let finished = Tally(0)
        for connection in 0..<options.connections {
            let thread = Thread { [options] in
                defer { finished.state.withLock { $0 += 1 } }
                guard let client = try? BlockingHTTPConnection(port: port) else { return }
                var corpus = SpanCorpus(seed: UInt64(connection + 1) * 7919 + (encoding == "json" ? 1 : 0))
                while DispatchTime.now().uptimeNanoseconds < deadline {
                    let spans = corpus.spans(options.spansPerBatch, startingAt: .now())
                    let sent = DispatchTime.now().uptimeNanoseconds
                    let reply: BlockingHTTPConnection.Reply?
                    if encoding == "protobuf" {
                        reply = try? client.post(path: "/v1/traces", body: OTLPProtobufEncoder.exportRequest(spans), contentType: "application/x-protobuf")
                    } else {
                        var body: [UInt8] = []
                        for span in spans {
                            var json = JSONWriter()
                            span.write(to: &json)
                            body += json.bytes
                            body.append(UInt8(ascii: "\n"))
                        }
                        reply = try? client.post(path: "/ingest/spans", body: body, contentType: "application/x-ndjson")
                    }
                    let latency = Double(DispatchTime.now().uptimeNanoseconds - sent) / 1e9
                    result.state.withLock { phase in
                        phase.requests += 1
                        phase.latencies.append(latency)
                        if reply?.status == 200 { phase.accepted += spans.count } else { phase.failures[reply?.status ?? 0, default: 0] += 1 }
                    }
                    if reply == nil { return }
                }
            }
            thread.start()
        }
        while finished.state.withLock({ $0 }) < options.connections {
            try? await Task.sleep(for: .milliseconds(200))
        }
        var phase = result.state.withLock { $0 }
        phase.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return phase
    }

    /// Stores one 200-span trace, waits until the index has it, then times reading it back.
    func traceQuery(port: Int) async throws(CLIError) -> LatencySummary {
        var corpus = SpanCorpus(seed: 99)
        let trace = corpus.trace(spans: 200, start: .now())
        let client = try BlockingHTTPConnection(port: port)
        var body: [UInt8] = []
        for span in trace {
            var json = JSONWriter()
            span.write(to: &json)
            body += json.bytes + [UInt8(ascii: "\n")]
        }
        guard try client.post(path: "/ingest/spans", body: body, contentType: "application/x-ndjson").status == 200 else {
            throw CLIError("the 200-span trace was not accepted")
        }
        // Give the background indexer time to reach it, so the figure is the indexed path.
        try? await Task.sleep(for: .seconds(5))
        var latencies: [Double] = []
        for _ in 0..<options.queries {
            let sent = DispatchTime.now().uptimeNanoseconds
            let reply = try client.get(path: "/api/v1/traces/\(trace[0].traceID)")
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - sent) / 1e9)
            guard reply.status == 200, String(decoding: reply.body, as: UTF8.self).components(separatedBy: "\"span_id\"").count - 1 == 200 else {
                throw CLIError("reading the 200-span trace back failed (HTTP \(reply.status))")
            }
        }
        return LatencySummary(latencies)
    }
}
