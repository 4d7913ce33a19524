import NIOCore
import NIOHTTP1
import ObsCore

/// One connection of the benchmark's webhook receiver: collects each request, notes it in
/// the log the moment it is complete, and answers 200 with a two-byte body, keeping the
/// connection alive when the client asked for it. (`HTTPServerPipelineHandler`, in front,
/// holds pipelined requests back until the answer is written.)
final class NotifyBenchmarkRecorderHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let log: NotifyBenchmarkRecorder.Log
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(log: NotifyBenchmarkRecorder.Log) {
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            let arrived = Timestamp.now()
            guard let head else { return }
            self.head = nil
            log.append(method: head.method.rawValue, path: head.uri, idempotencyKey: head.headers.first(name: "Idempotency-Key"),
                       body: Array(body.readableBytesView), at: arrived)
            body.clear()
            answer(version: head.version, keepAlive: head.isKeepAlive, context: context)
        }
    }

    private func answer(version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders([("Content-Type", "text/plain"), ("Content-Length", "2")])
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: "ok")))), promise: nil)
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let written = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
