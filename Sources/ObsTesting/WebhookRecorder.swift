import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP/1.1 server on 127.0.0.1 that records every request and answers as scripted:
/// the receiving end of webhook notifications in tests. It owns its event loop thread, so
/// `stop()` must be awaited once the test is done with it.
public final class WebhookRecorder: Sendable {
    public let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let listener: any Channel
    private let state: WebhookRecorderState

    public static func start() async throws -> WebhookRecorder {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let state = WebhookRecorderState()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let connection = state.open(channel) else { throw ChannelError.ioOnClosedChannel }
                    channel.closeFuture.whenComplete { _ in state.closed(connection) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(WebhookRecorderHandler(state: state, connection: connection))
                }
            }
        let listener: any Channel
        do {
            listener = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        guard let port = listener.localAddress?.port else {
            try? await listener.close()
            try? await group.shutdownGracefully()
            throw StartError(description: "the recorder's listening socket has no local port")
        }
        return WebhookRecorder(port: port, group: group, listener: listener, state: state)
    }

    /// Runs `body` with a started recorder and stops it afterwards, also when `body` throws.
    public static func withRecorder<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (WebhookRecorder) async throws -> Result
    ) async throws -> Result {
        let recorder = try await start()
        let result: Result
        do {
            result = try await body(recorder)
        } catch {
            try? await recorder.stop()
            throw error
        }
        try await recorder.stop()
        return result
    }

    private init(port: Int, group: MultiThreadedEventLoopGroup, listener: any Channel, state: WebhookRecorderState) {
        self.port = port
        self.group = group
        self.listener = listener
        self.state = state
    }

    /// A safety net for a test that threw before reaching `stop()`: without it the event loop thread would outlive the test.
    deinit {
        guard let connections = state.beginStopping() else { return }
        listener.close(promise: nil)
        for connection in connections { connection.close(promise: nil) }
        group.shutdownGracefully { _ in }
    }

    public func url(_ path: String = "/hook") -> String {
        "http://127.0.0.1:\(port)" + (path.hasPrefix("/") ? path : "/" + path)
    }

    /// Every complete request so far, in arrival order.
    public var requests: [RecordedRequest] { state.requests }

    /// Decides the answer to each later request; it gets the request and its 0-based index among all requests.
    /// It runs on the event loop, so it must answer quickly and not block.
    public func respond(with responder: @escaping @Sendable (RecordedRequest, Int) -> RecordedResponse) {
        state.setResponder(responder)
    }

    /// Answers the requests with these responses by index, and every request past the end with the last one.
    public func respond(withSequence responses: [RecordedResponse]) {
        respond { _, index in responses.isEmpty ? .ok : responses[min(index, responses.count - 1)] }
    }

    /// Waits until at least `count` requests arrived. This is for waiting, not for timing assertions:
    /// the timeout only bounds a test whose requests never come, and its error lists what did arrive.
    @discardableResult
    public func waitForRequests(count: Int, timeout: Duration = .seconds(30)) async throws -> [RecordedRequest] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let arrived = state.requests
            if arrived.count >= count { return arrived }
            if clock.now >= deadline { throw WaitTimeout(expected: count, timeout: timeout, arrived: arrived) }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Closes the listening socket and every open connection, then shuts down the event loop thread.
    /// Answers still waiting on a delay are dropped. Later calls return at once.
    public func stop() async throws {
        guard let connections = state.beginStopping() else { return }
        try await Self.closeIgnoringAlreadyClosed(listener)
        for connection in connections {
            try await Self.closeIgnoringAlreadyClosed(connection)
        }
        try await group.shutdownGracefully()
    }

    private static func closeIgnoringAlreadyClosed(_ channel: any Channel) async throws {
        do {
            try await channel.close()
        } catch ChannelError.alreadyClosed {
            // The peer or the handler closed it first, which is the state we wanted.
        }
    }
}
