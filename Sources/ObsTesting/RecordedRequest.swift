import Foundation

/// One complete HTTP request as the `WebhookRecorder` received it.
public struct RecordedRequest: Sendable {
    public struct NotJSONObject: Error, CustomStringConvertible {
        public var description: String
    }

    public var method: String
    /// The request target as sent, query included.
    public var path: String
    /// In the order and spelling the client sent them; repeated headers stay separate.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// When the last byte of the body arrived.
    public var receivedAt: Date
    /// 0-based number of the TCP connection it came on, so tests can tell reuse from reconnects.
    public var connection: Int

    public init(
        method: String, path: String, headers: [(name: String, value: String)], body: [UInt8], receivedAt: Date = Date(),
        connection: Int = 0
    ) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.receivedAt = receivedAt
        self.connection = connection
    }

    /// The first value of a header, whatever case the client spelled its name in.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
    }

    /// Most webhook payloads are one object; this saves every caller the cast and its error message.
    public func jsonObject() throws -> [String: Any] {
        guard let object = try json() as? [String: Any] else {
            throw NotJSONObject(description: "body of \(method) \(path) is not a JSON object: \(bodyText.prefix(200))")
        }
        return object
    }

    /// One line for failure messages: enough to tell requests apart without dumping whole bodies.
    public var summary: String {
        let preview = bodyText.prefix(120).replacingOccurrences(of: "\n", with: " ")
        return "\(method) \(path) (\(body.count) bytes, connection \(connection)): \(preview)"
    }
}
