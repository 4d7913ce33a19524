import Foundation
import ObsTesting
import Synchronization
import Testing

/// Sends batches from several concurrent connections and remembers which were acknowledged.
final class AcknowledgingSender: Sendable {
    let acknowledged = Mutex<[String]>([])
    let statuses = Mutex<[Int: Int]>([:])
    let retryAfterValues = Mutex<Set<String>>([])

    /// Each connection sends `batches` bodies of `linesPerBatch` uniquely named lines and stops
    /// at its first transport error (the daemon went away).
    func run(daemon: DaemonProcess, connections: Int, batches: Int, linesPerBatch: Int, tag: String) async {
        await withTaskGroup(of: Void.self) { group in
            for connection in 0..<connections {
                group.addTask {
                    for batch in 0..<batches {
                        let names = (0..<linesPerBatch).map { "\(tag)-\(connection)-\(batch)-\($0)" }
                        let body = names.map { "{\"msg\":\"\($0)\",\"service\":\"durability\"}" }.joined(separator: "\n")
                        guard let reply = try? await postLogs(daemon, body) else { return }
                        self.statuses.withLock { $0[reply.status, default: 0] += 1 }
                        if reply.status == 200 {
                            self.acknowledged.withLock { $0.append(contentsOf: names) }
                        } else if let retryAfter = reply.headers["retry-after"] {
                            self.retryAfterValues.withLock { _ = $0.insert(retryAfter) }
                        }
                    }
                }
            }
        }
    }

    var acknowledgedNames: [String] { acknowledged.withLock { $0 } }
}

/// Every acknowledged name must be stored exactly once.
func expectAllStoredOnce(_ names: [String], databasePath: String) throws {
    let stored = try queryLogs(["--db", databasePath, "--service", "durability", "--limit", "100000"])
        .compactMap { $0["message"] as? String }
    var counts: [String: Int] = [:]
    for message in stored { counts[message, default: 0] += 1 }
    let missing = names.filter { counts[$0] == nil }
    let duplicated = names.filter { (counts[$0] ?? 0) > 1 }
    #expect(missing.isEmpty, "acknowledged but not stored: \(missing.prefix(5)) (\(missing.count) in all)")
    #expect(duplicated.isEmpty, "stored more than once: \(duplicated.prefix(5))")
}

@Suite("Durability, backpressure and shutdown")
struct DurabilityTests {
    @Test("kill -9 mid-stream loses no acknowledged record and duplicates none")
    func killNineMidStream() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataDir = directory.file("data")
        let daemon = try await DaemonProcess.start(dataDir: dataDir)
        let sender = AcknowledgingSender()
        let sending = Task { await sender.run(daemon: daemon, connections: 4, batches: 400, linesPerBatch: 50, tag: "k") }
        let acknowledgedEnough = try await eventually(attempts: 1200) { sender.acknowledgedNames.count >= 2000 }
        #expect(acknowledgedEnough)
        try await daemon.stop(signal: SIGKILL)
        #expect(daemon.terminationReason == .uncaughtSignal)
        await sending.value
        let acknowledged = sender.acknowledgedNames
        #expect(acknowledged.count >= 2000)

        // Restart on the same files: recovery replays the WAL.
        let restarted = try await DaemonProcess.start(dataDir: dataDir)
        #expect(try await restarted.stop() == 0)
        try expectAllStoredOnce(acknowledged, databasePath: restarted.databasePath)
    }

    @Test("SIGTERM while ingesting: exit 0 and everything acknowledged is on disk")
    func gracefulShutdown() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let daemon = try await DaemonProcess.start(dataDir: directory.file("data"))
        let sender = AcknowledgingSender()
        let sending = Task { await sender.run(daemon: daemon, connections: 4, batches: 400, linesPerBatch: 50, tag: "t") }
        let acknowledgedEnough = try await eventually(attempts: 1200) { sender.acknowledgedNames.count >= 2000 }
        #expect(acknowledgedEnough)
        let status = try await daemon.stop(signal: SIGTERM)
        #expect(status == 0)
        #expect(daemon.terminationReason == .exit)
        await sending.value
        #expect(daemon.log.contains("obs stopped: queue drained, database closed."))
        try expectAllStoredOnce(sender.acknowledgedNames, databasePath: daemon.databasePath)
    }

    @Test("SIGINT stops the daemon cleanly too")
    func interrupt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let daemon = try await DaemonProcess.start(dataDir: directory.file("data"))
        #expect(try await postLogs(daemon, "{\"msg\":\"before ctrl-c\",\"service\":\"durability\"}").status == 200)
        #expect(try await daemon.stop(signal: SIGINT) == 0)
        try expectAllStoredOnce(["before ctrl-c"], databasePath: daemon.databasePath)
    }

    @Test("a full queue answers 429 with Retry-After, and nothing acknowledged is lost")
    func backpressure() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try directory.write("obs.yaml", "limits:\n  queue_events: 1\n")
        let daemon = try await DaemonProcess.start(dataDir: directory.file("data"), extraArguments: ["--config", config])
        let sender = AcknowledgingSender()
        // Keep sending until the queue has refused at least once (it almost always does in the
        // first round: 16 connections share a queue that holds one submission).
        for round in 0..<20 {
            await sender.run(daemon: daemon, connections: 16, batches: 10, linesPerBatch: 20, tag: "b\(round)")
            if sender.statuses.withLock({ $0[429] ?? 0 }) > 0 { break }
        }
        let statuses = sender.statuses.withLock { $0 }
        #expect((statuses[429] ?? 0) > 0, "no 429 seen: \(statuses)")
        #expect((statuses[200] ?? 0) > 0)
        #expect(Set(statuses.keys).isSubset(of: [200, 429]))
        #expect(sender.retryAfterValues.withLock { $0 } == ["1"])
        let metrics = try await HTTPClient.get(daemon.baseURL.appendingPathComponent("metrics")).text
        #expect((metricValue(metrics, "obs_ingest_records_dropped_total{transport=\"http\"}") ?? 0) == Double((statuses[429] ?? 0) * 20))
        #expect(try await daemon.stop() == 0)
        try expectAllStoredOnce(sender.acknowledgedNames, databasePath: daemon.databasePath)
    }
}
