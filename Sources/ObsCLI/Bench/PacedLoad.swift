import Foundation
import ObsCore
import Synchronization

/// A steady ingest load at a fixed rate: request-log bodies sent over keep-alive connections
/// (one thread each, blocking sockets) on a schedule — body k is due at start + k × its
/// share of a second — each stamped with the time it is sent. A connection whose reply comes
/// late sends its next due body at once, so the schedule catches up while the daemon keeps
/// up; what was actually achieved is counted, not assumed.
final class PacedLoad: Sendable {
    struct Totals: Sendable {
        var acceptedLines = 0
        var requests = 0
        var failures: [Int: Int] = [:]
        var latencies: [Double] = []
        /// Bodies sent more than 100 ms after they were due.
        var late = 0
        var worstLateness = 0.0
    }

    /// Counters at one moment, to measure a window of the load.
    struct Snapshot: Sendable {
        var uptimeNanoseconds: UInt64
        var acceptedLines: Int
        var requests: Int
        var latencyCount: Int
        var late: Int
    }

    let linesPerSecond: Double
    let connections: Int
    private let port: Int
    private let bodies: [StampedBody]
    private let linesPerBody: Int
    private let totals = Mutex(Totals())
    private let stopping = Atomic<Bool>(false)
    private let running = Atomic<Int>(0)
    private let nextSlot = Atomic<Int>(0)
    private let started = Atomic<UInt64>(0)

    init(port: Int, linesPerSecond: Double, bodies: [StampedBody], connections: Int) {
        self.port = port
        self.linesPerSecond = linesPerSecond
        self.bodies = bodies
        self.connections = max(1, connections)
        linesPerBody = max(1, bodies.first?.timestampOffsets.count ?? 1)
    }

    func start() {
        started.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
        for _ in 0..<connections {
            running.add(1, ordering: .relaxed)
            let thread = Thread { self.send() }
            thread.name = "paced-load"
            thread.start()
        }
    }

    private func send() {
        defer { running.subtract(1, ordering: .relaxed) }
        guard let client = try? BlockingHTTPConnection(port: port) else {
            totals.withLock { $0.failures[0, default: 0] += 1 }
            return
        }
        var bodies = self.bodies
        let origin = started.load(ordering: .relaxed)
        let secondsPerBody = Double(linesPerBody) / linesPerSecond
        while !stopping.load(ordering: .relaxed) {
            let slot = nextSlot.add(1, ordering: .relaxed).oldValue
            let due = origin + UInt64(Double(slot) * secondsPerBody * 1e9)
            while true {
                let now = DispatchTime.now().uptimeNanoseconds
                guard now < due else { break }
                if stopping.load(ordering: .relaxed) { return }
                usleep(UInt32(min(20_000, (due - now) / 1_000)))
            }
            let index = slot % bodies.count
            bodies[index].restamp(epochMicroseconds: Timestamp.now().nanoseconds / 1_000)
            let sent = DispatchTime.now().uptimeNanoseconds
            let lateness = Double(sent - min(sent, due)) / 1e9
            let reply = try? client.post(path: "/ingest/logs", body: bodies[index].bytes, contentType: "application/x-ndjson")
            let latency = Double(DispatchTime.now().uptimeNanoseconds - sent) / 1e9
            let accepted = reply.flatMap { IngestBenchmark.acceptedCount(in: Data($0.body)) } ?? 0
            totals.withLock { totals in
                totals.requests += 1
                totals.latencies.append(latency)
                if lateness > 0.1 { totals.late += 1 }
                totals.worstLateness = max(totals.worstLateness, lateness)
                if reply?.status == 200 {
                    totals.acceptedLines += accepted
                } else {
                    totals.failures[reply?.status ?? 0, default: 0] += 1
                }
            }
            if reply == nil { return }
        }
    }

    func snapshot() -> Snapshot {
        let now = DispatchTime.now().uptimeNanoseconds
        return totals.withLock {
            Snapshot(uptimeNanoseconds: now, acceptedLines: $0.acceptedLines, requests: $0.requests, latencyCount: $0.latencies.count, late: $0.late)
        }
    }

    /// Everything counted so far.
    func current() -> Totals { totals.withLock { $0 } }

    /// Stops the connections (each finishes its request in flight) and returns the totals.
    func stop() async -> Totals {
        stopping.store(true, ordering: .relaxed)
        while running.load(ordering: .relaxed) > 0 {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return current()
    }

    /// What the load achieved between two snapshots, with the request latencies of the window.
    struct Window: Sendable {
        var seconds: Double
        var acceptedLines: Int
        var requests: Int
        var late: Int
        var latencies: LatencySummary

        var linesPerSecond: Double { seconds > 0 ? Double(acceptedLines) / seconds : 0 }
    }

    func window(from first: Snapshot, to last: Snapshot) -> Window {
        let latencies = totals.withLock { Array($0.latencies[min(first.latencyCount, $0.latencies.count)..<min(last.latencyCount, $0.latencies.count)]) }
        return Window(seconds: Double(last.uptimeNanoseconds - first.uptimeNanoseconds) / 1e9, acceptedLines: last.acceptedLines - first.acceptedLines,
                      requests: last.requests - first.requests, late: last.late - first.late, latencies: LatencySummary(latencies))
    }
}
