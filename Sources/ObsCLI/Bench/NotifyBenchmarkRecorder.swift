import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import ObsCore
import Synchronization

/// The receiving end of `obs bench notify`: an HTTP/1.1 server on 127.0.0.1 with one event
/// loop thread of its own, answering every request 200 at once and keeping, in arrival order,
/// when each one was complete, its `Idempotency-Key` and its body. Bodies are parsed later,
/// off the event loop, so the time of arrival is all it measures.
final class NotifyBenchmarkRecorder: Sendable {
    struct Arrival: Sendable {
        /// 0-based, in the order requests were complete.
        var sequence: Int
        var receivedAt: Timestamp
        var method: String
        var path: String
        var idempotencyKey: String?
        var body: [UInt8]
    }

    /// Every request so far; shared by the connections' handlers.
    final class Log: Sendable {
        private let arrivals = Mutex<[Arrival]>([])

        func append(method: String, path: String, idempotencyKey: String?, body: [UInt8], at time: Timestamp) {
            arrivals.withLock { list in
                list.append(Arrival(sequence: list.count, receivedAt: time, method: method, path: path,
                                    idempotencyKey: idempotencyKey, body: body))
            }
        }

        var all: [Arrival] { arrivals.withLock { $0 } }
        var count: Int { arrivals.withLock { $0.count } }
        var last: Timestamp? { arrivals.withLock { $0.last?.receivedAt } }
    }

    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let listener: any Channel
    private let log: Log

    /// Listens on `port` (0: any free port).
    static func start(port: Int = 0) async throws(CLIError) -> NotifyBenchmarkRecorder {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let log = Log()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(NotifyBenchmarkRecorderHandler(log: log))
                }
            }
        let listener: any Channel
        do {
            listener = try await bootstrap.bind(host: "127.0.0.1", port: port).get()
        } catch {
            try? await group.shutdownGracefully()
            throw CLIError("the benchmark's webhook receiver cannot listen on 127.0.0.1:\(port): \(error)")
        }
        guard let bound = listener.localAddress?.port else {
            try? await listener.close()
            try? await group.shutdownGracefully()
            throw CLIError("the benchmark's webhook receiver has no local port")
        }
        return NotifyBenchmarkRecorder(port: bound, group: group, listener: listener, log: log)
    }

    private init(port: Int, group: MultiThreadedEventLoopGroup, listener: any Channel, log: Log) {
        self.port = port
        self.group = group
        self.listener = listener
        self.log = log
    }

    var url: String { "http://127.0.0.1:\(port)/hook" }

    var arrivals: [Arrival] { log.all }
    var count: Int { log.count }
    var lastArrival: Timestamp? { log.last }

    /// Waits until `count` requests arrived, or `timeout` passed without a new one (a stall),
    /// or `limit` passed in all; returns whether they all came. `progress` is told every 5 s.
    func waitFor(_ expected: Int, stallTimeout: Double, limit: Double, progress: (Int) -> Void) async -> Bool {
        let started = DispatchTime.now().uptimeNanoseconds
        var lastCount = count, lastChange = started, lastReport = started
        while true {
            let now = DispatchTime.now().uptimeNanoseconds, seen = count
            if seen >= expected { return true }
            if seen != lastCount { (lastCount, lastChange) = (seen, now) }
            if Double(now - lastChange) / 1e9 > stallTimeout || Double(now - started) / 1e9 > limit { return false }
            if now - lastReport >= 5_000_000_000 {
                progress(seen)
                lastReport = now
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    func stop() async {
        try? await listener.close()
        try? await group.shutdownGracefully()
    }
}
