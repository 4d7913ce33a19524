import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ObsCore

/// One HTTP POST of a notification and what came of it. async-http-client: connection
/// pooling per host, https with the system's CA certificates, and a deadline per request.
public final class WebhookTransport: Sendable {
    /// The answer of a receiver, or why there was none.
    public enum Outcome: Sendable, Equatable {
        case answered(status: Int, retryAfter: String?, body: String)
        case failed(String)
    }

    static let keptAnswerBytes = 2_048
    let client: HTTPClient

    public init() {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        // A refused connection fails the attempt at once: the outbox's own backoff decides
        // when to try again, instead of the pool retrying until the request's deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func post(to url: URL, headers: [(String, String)], body: [UInt8], timeout: Duration) async -> Outcome {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(timeout.totalNanoseconds))
            var answer = try await response.body.collect(upTo: 1 << 20)
            let text = answer.readString(length: min(answer.readableBytes, Self.keptAnswerBytes)) ?? ""
            return .answered(status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"), body: text)
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            return .failed("no answer within \(DurationText.text(timeout))")
        } catch is CancellationError {
            return .failed("cancelled")
        } catch {
            return .failed(Self.describe(error))
        }
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    private static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}
