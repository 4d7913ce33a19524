import Foundation
import ObsCore
import ObsIngest
import ObsStorage
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `obs bench ingest`: starts a daemon, loads it over HTTP and UDP, and reports throughput,
/// latency and memory next to the raw SQLite insert rate of the same rows on this machine.
public struct IngestBenchmark: Sendable {
    public struct Options: Sendable {
        public var httpSeconds: Double = 20
        public var connections = 4
        public var linesPerBatch = 1000
        public var udpRates: [Int] = [20_000]
        public var udpSeconds: Double = 5
        public var yardstickRows = 300_000
        /// Keep the daemon's data directory (for query measurements) instead of deleting it.
        public var keepData = false
        /// Off: the daemon runs with `aggregate.enabled: false`, to measure what aggregation costs.
        public var aggregation = true

        public init() {}
    }

    let options: Options
    let progress: @Sendable (String) -> Void

    public init(options: Options, progress: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.progress = progress
    }

    public func run() async throws(CLIError) -> String {
        let workDirectory = try BenchDirectory.fresh("obs-bench")
        defer { if !options.keepData { try? FileManager.default.removeItem(atPath: workDirectory) } }

        var corpus = RequestLogCorpus()
        let now = Timestamp.now().nanoseconds / 1_000
        let bodies = (0..<40).map { corpus.batch(lines: options.linesPerBatch, epochMicroseconds: now + Int64($0 * options.linesPerBatch)) }
        let bytesPerLine = Double(bodies.reduce(0) { $0 + $1.bytes.count }) / Double(bodies.count * options.linesPerBatch)

        progress("measuring the SQLite yardstick (\(options.yardstickRows) rows)…")
        let yardstick = try measureYardstick(bodies: bodies, directory: workDirectory)

        progress("starting obs serve…")
        var daemonArguments: [String] = []
        if !options.aggregation {
            let configPath = workDirectory + "/no-aggregation.yaml"
            FileManager.default.createFile(atPath: configPath, contents: Data("aggregate: {enabled: false}\n".utf8))
            daemonArguments = ["--config", configPath]
        }
        let daemon = try BenchDaemon(dataDir: workDirectory + "/data", rules: BenchDaemon.emptyRulesDirectory(in: workDirectory),
                                     extraArguments: daemonArguments)
        let base = "http://127.0.0.1:\(daemon.httpPort)"

        progress("HTTP: \(options.connections) connections for \(Int(options.httpSeconds)) s…")
        let http = await loadHTTP(port: daemon.httpPort, bodies: bodies)

        var udpResults: [UDPResult] = []
        for rate in options.udpRates {
            progress("UDP: \(rate) lines/s for \(Int(options.udpSeconds)) s…")
            udpResults.append(await loadUDP(port: daemon.udpPort, metricsURL: URL(string: base + "/metrics")!, rate: rate, corpus: &corpus))
        }
        let peakRSS = daemon.peakResidentBytes
        var unindexed: Int?
        if let database = try? ObsDatabase.openReadOnly(at: workDirectory + "/data/obs.db") {
            unindexed = try? await database.unindexedLogCount()
            try? database.close()
        }
        let exitStatus = daemon.stop()
        let failureLog = exitStatus == 0 ? nil : daemon.logTail()
        var storedRows: Int?
        if let database = try? ObsDatabase.openReadOnly(at: workDirectory + "/data/obs.db") {
            storedRows = try? await database.logCount()
            try? database.close()
        }

        return report(http: http, bytesPerLine: bytesPerLine, yardstick: yardstick, udp: udpResults,
                      peakRSS: peakRSS, exitStatus: exitStatus, failureLog: failureLog, storedRows: storedRows, unindexed: unindexed)
    }

    // MARK: - Yardstick

    func measureYardstick(bodies: [StampedBody], directory: String) throws(CLIError) -> SQLiteInsertYardstick.Result {
        let decoder = NativeBodyDecoder()
        let recordDecoder = LogRecordDecoder()
        var records: [LogRecord] = []
        records.reserveCapacity(options.yardstickRows)
        var index = 0
        while records.count < options.yardstickRows {
            let outcome = bodies[index % bodies.count].bytes.withUnsafeBufferPointer { buffer in
                decoder.decode(body: buffer) { (scanner: inout JSONScanner) throws(RecordError) in
                    try recordDecoder.decode(&scanner, receivedAt: .now()).record
                }
            }
            records.append(contentsOf: outcome.records.prefix(options.yardstickRows - records.count))
            index += 1
        }
        // In time order, as the daemon receives them.
        let start = Timestamp.now().nanoseconds
        for position in records.indices {
            records[position].time = Timestamp(nanoseconds: start + Int64(position) * 1_000)
        }
        do {
            return try SQLiteInsertYardstick.measure(records: records, rowsPerTransaction: 1000, directory: directory)
        } catch {
            throw CLIError("yardstick: \(error)")
        }
    }

    // MARK: - HTTP

    struct HTTPResult: Sendable {
        var acceptedLines = 0
        var requests = 0
        var failures: [Int: Int] = [:]
        var bytes = 0
        var seconds = 0.0
        var latencies: [Double] = []
    }

    /// One thread per connection (blocking sockets), each sending its next batch as soon as
    /// the last was answered; this task only watches and reports progress every 5 s.
    func loadHTTP(port: Int, bodies: [StampedBody]) async -> HTTPResult {
        let started = DispatchTime.now().uptimeNanoseconds
        let deadline = started + UInt64(options.httpSeconds * 1e9)
        let result = Tally(HTTPResult())
        let finished = Tally(0)
        for connection in 0..<options.connections {
            let thread = Thread { [options] in
                defer { finished.state.withLock { $0 += 1 } }
                guard let client = try? BlockingHTTPConnection(port: port) else {
                    result.state.withLock { $0.failures[0, default: 0] += 1 }
                    return
                }
                var index = connection
                var bodies = bodies
                while DispatchTime.now().uptimeNanoseconds < deadline {
                    bodies[index % bodies.count].restamp(epochMicroseconds: Timestamp.now().nanoseconds / 1_000)
                    let body = bodies[index % bodies.count].bytes
                    index += options.connections
                    let sent = DispatchTime.now().uptimeNanoseconds
                    let reply = try? client.post(path: "/ingest/logs", body: body, contentType: "application/x-ndjson")
                    let latency = Double(DispatchTime.now().uptimeNanoseconds - sent) / 1e9
                    let accepted = reply.flatMap { Self.acceptedCount(in: Data($0.body)) } ?? 0
                    result.state.withLock { r in
                        r.requests += 1
                        r.latencies.append(latency)
                        if reply?.status == 200 {
                            r.acceptedLines += accepted
                            r.bytes += body.count
                        } else {
                            r.failures[reply?.status ?? 0, default: 0] += 1
                        }
                    }
                    if reply == nil { return }
                }
            }
            thread.start()
        }
        var lastReport = (time: started, lines: 0)
        while finished.state.withLock({ $0 }) < options.connections {
            try? await Task.sleep(for: .milliseconds(200))
            let now = DispatchTime.now().uptimeNanoseconds
            if now - lastReport.time >= 5_000_000_000 {
                let lines = result.state.withLock { $0.acceptedLines }
                let rate = Double(lines - lastReport.lines) / (Double(now - lastReport.time) / 1e9)
                progress("  \(Int(Double(now - started) / 1e9)) s: \(lines) lines accepted, \(Int(rate)) lines/s over the last 5 s")
                lastReport = (now, lines)
            }
        }
        var final = result.state.withLock { $0 }
        final.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return final
    }

    static func acceptedCount(in body: Data) -> Int? {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return nil }
        return object["accepted"] as? Int
    }

    // MARK: - UDP

    struct UDPResult {
        var rate: Int
        var sent = 0
        var seconds = 0.0
        var accepted = 0
        var droppedByDaemon = 0
    }

    func loadUDP(port: Int, metricsURL: URL, rate: Int, corpus: inout RequestLogCorpus) async -> UDPResult {
        let before = await udpCounters(metricsURL)
        var lines = (0..<min(rate, 20_000)).map { _ in Array(corpus.line(epochMicroseconds: Timestamp.now().nanoseconds / 1_000).utf8) }
        let socketDescriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let total = Int(Double(rate) * options.udpSeconds)
        let started = DispatchTime.now().uptimeNanoseconds
        var sent = 0
        // Paced in 1 ms slices so the rate is even rather than bursty.
        while sent < total {
            let due = min(total, Int(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 * Double(rate)) + 1)
            let stamp = Timestamp.now().nanoseconds / 1_000
            while sent < due {
                StampedBody.write(stamp + Int64(sent % 1000), into: &lines[sent % lines.count], at: RequestLogCorpus.timestampOffset)
                let line = lines[sent % lines.count]
                _ = line.withUnsafeBytes { raw in
                    withUnsafePointer(to: &address) { pointer in
                        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            sendto(socketDescriptor, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                        }
                    }
                }
                sent += 1
            }
            usleep(1000)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        // Let the daemon finish what the socket buffer still holds.
        var after = await udpCounters(metricsURL)
        for _ in 0..<50 where after.accepted + after.dropped - before.accepted - before.dropped < sent {
            try? await Task.sleep(for: .milliseconds(100))
            after = await udpCounters(metricsURL)
        }
        return UDPResult(rate: rate, sent: sent, seconds: seconds, accepted: after.accepted - before.accepted,
                         droppedByDaemon: after.dropped - before.dropped)
    }

    func udpCounters(_ url: URL) async -> (accepted: Int, dropped: Int) {
        guard let (data, _) = try? await URLSession.shared.data(from: url) else { return (0, 0) }
        let text = String(decoding: data, as: UTF8.self)
        func value(_ series: String) -> Int {
            text.split(separator: "\n").first { $0.hasPrefix(series + " ") }
                .flatMap { Double($0.dropFirst(series.count + 1)) }.map { Int($0) } ?? 0
        }
        return (value("obs_ingest_records_accepted_total{transport=\"udp\"}"), value("obs_ingest_records_dropped_total{transport=\"udp\"}"))
    }

    // MARK: - Report

    func report(http: HTTPResult, bytesPerLine: Double, yardstick: SQLiteInsertYardstick.Result, udp: [UDPResult],
                peakRSS: Int, exitStatus: Int32, failureLog: String?, storedRows: Int?, unindexed: Int?) -> String {
        let latencies = LatencySummary(http.latencies)
        let linesPerSecond = Double(http.acceptedLines) / http.seconds
        let megabytesPerSecond = Double(http.bytes) / http.seconds / 1e6
        var lines: [String] = []
        lines.append("obs bench ingest — \(ProcessInfo.processInfo.activeProcessorCount) cores, \(Self.cpuModel()), aggregation \(options.aggregation ? "on" : "off")")
        lines.append("")
        lines.append("HTTP  \(options.connections) connections × batches of \(options.linesPerBatch) lines (\(String(format: "%.0f", bytesPerLine)) bytes/line), \(String(format: "%.1f", http.seconds)) s")
        lines.append("  accepted         \(http.acceptedLines) lines in \(http.requests) requests\(http.failures.isEmpty ? "" : ", non-200: \(http.failures)")")
        lines.append("  throughput       \(String(format: "%.0f", linesPerSecond)) lines/s, \(String(format: "%.1f", megabytesPerSecond)) MB/s")
        lines.append("  request latency  p50 \(latencies.milliseconds(50)), p99 \(latencies.milliseconds(99)), max \(latencies.milliseconds(100))")
        lines.append("  yardstick        \(String(format: "%.0f", yardstick.rowsPerSecond)) rows/s raw SQLite insert of the same rows (same table and indexes, no FTS; 1 prepared statement, 1,000 rows/transaction, WAL, synchronous=NORMAL)")
        lines.append("  ratio            \(String(format: "%.0f", 100 * linesPerSecond / yardstick.rowsPerSecond)) % of the yardstick")
        for result in udp {
            let stored = result.accepted
            lines.append("UDP   \(result.rate) lines/s target, one line per datagram, \(String(format: "%.1f", result.seconds)) s")
            lines.append("  sent             \(result.sent) lines (\(String(format: "%.0f", Double(result.sent) / result.seconds)) lines/s)")
            lines.append("  stored           \(stored) lines; dropped by a full queue: \(result.droppedByDaemon); lost before the daemon (socket buffer): \(max(0, result.sent - stored - result.droppedByDaemon))")
        }
        lines.append("Daemon peak RSS    \(String(format: "%.1f", Double(peakRSS) / 1_048_576)) MiB")
        lines.append("Index lag          \(unindexed.map(String.init) ?? "?") rows not yet in the full-text/trace index when the load ended")
        lines.append("Daemon exit        \(exitStatus) after SIGINT; rows on disk: \(storedRows.map(String.init) ?? "?")")
        if let failureLog { lines.append("Daemon log tail:\n" + failureLog) }
        if options.keepData { lines.append("Data kept in       \(FileManager.default.temporaryDirectory.path)/obs-bench-\(getpid())/data") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func cpuModel() -> String {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let line = info.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.flatMap { $0.split(separator: ":", maxSplits: 1).last }.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
    }
}

/// Shared counters of concurrent load tasks.
final class Tally<Value: Sendable>: Sendable {
    let state: Mutex<Value>
    init(_ value: Value) { state = Mutex(value) }
}
