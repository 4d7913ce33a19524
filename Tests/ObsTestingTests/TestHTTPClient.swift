import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A URLSession of its own per client, so each client has its own connection pool: two clients
/// never share a connection, and one client reuses its connection the way webhook senders do.
final class TestHTTPClient: Sendable {
    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data

        var text: String { String(decoding: body, as: UTF8.self) }

        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    struct NotHTTP: Error {}

    private let session: URLSession

    init(timeout: TimeInterval = 30) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.httpMaximumConnectionsPerHost = 1
        session = URLSession(configuration: configuration)
    }

    deinit { session.finishTasksAndInvalidate() }

    func post(_ url: String, body: Data, headers: [String: String] = [:]) async throws -> Reply {
        guard let target = URL(string: url) else { throw URLError(.badURL) }
        var request = URLRequest(url: target)
        request.httpMethod = "POST"
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw NotHTTP() }
        var replyHeaders: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            replyHeaders[String(describing: name).lowercased()] = String(describing: value)
        }
        return Reply(status: http.statusCode, headers: replyHeaders, body: data)
    }

    func post(_ url: String, text: String, headers: [String: String] = [:]) async throws -> Reply {
        try await post(url, body: Data(text.utf8), headers: headers)
    }
}
