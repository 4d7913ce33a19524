import Foundation
import NIOCore
import NIOHTTP1

/// One connection of the recorder: aggregates each request, records it and answers as scripted.
/// `HTTPServerPipelineHandler` in front of it holds back pipelined requests until an answer ends,
/// so at most one request per connection is pending here.
final class WebhookRecorderHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Generous for webhook payloads, yet bounded so a runaway client cannot exhaust memory.
    static let maximumBodyBytes = 32 * 1024 * 1024

    private let state: WebhookRecorderState
    private let connection: Int
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var bodyTooLarge = false
    private var delayedAnswer: Scheduled<Void>?

    init(state: WebhookRecorderState, connection: Int) {
        self.state = state
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
            bodyTooLarge = false
            // curl (and so URLSession on Linux) waits a second for this before sending a body it announced.
            if head.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                let informational = HTTPResponseHead(version: head.version, status: .continue)
                context.writeAndFlush(wrapOutboundOut(.head(informational)), promise: nil)
            }
        case .body(var chunk):
            guard !bodyTooLarge else { return }
            if body.readableBytes + chunk.readableBytes > Self.maximumBodyBytes {
                bodyTooLarge = true
                body.clear()
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            if bodyTooLarge {
                write(RecordedResponse(status: 413, body: "request body over \(Self.maximumBodyBytes) bytes"),
                      version: head.version, keepAlive: false, context: context)
                return
            }
            answer(head, context: context)
        }
    }

    private func answer(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let request = RecordedRequest(
            method: head.method.rawValue,
            path: head.uri,
            headers: head.headers.map { (name: $0.name, value: $0.value) },
            body: Array(body.readableBytesView),
            receivedAt: Date(),
            connection: connection
        )
        body.clear()
        let (index, responder) = state.record(request)
        let response = responder(request, index)
        if response.closeWithoutAnswer {
            context.close(promise: nil)
        } else if let delay = response.delay {
            // Scheduled rather than slept, so the event loop keeps serving the other connections.
            delayedAnswer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) {
                self.delayedAnswer = nil
                self.write(response, version: head.version, keepAlive: head.isKeepAlive, context: context)
            }
        } else {
            write(response, version: head.version, keepAlive: head.isKeepAlive, context: context)
        }
    }

    private func write(_ response: RecordedResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
        let body = context.channel.allocator.buffer(string: response.body)
        if !headers.contains(name: "Content-Length") {
            headers.add(name: "Content-Length", value: String(body.readableBytes))
        }
        if !keepAlive {
            headers.replaceOrAdd(name: "Connection", value: "close")
        }
        let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        if !keepAlive {
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // The client gave up (its timeout fired): nobody is left to answer.
        delayedAnswer?.cancel()
        delayedAnswer = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
