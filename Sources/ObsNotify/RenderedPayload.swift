/// A request body ready to send.
public struct RenderedPayload: Sendable, Equatable {
    public var body: [UInt8]
    public var contentType: String
    /// Appended to the receiver's URL: `/api/v2/alerts` for an Alertmanager API push, whose
    /// receiver is configured by Alertmanager's base URL; nil for webhooks, whose URL is complete.
    public var path: String?

    public init(body: [UInt8], contentType: String = "application/json", path: String? = nil) {
        self.body = body
        self.contentType = contentType
        self.path = path
    }
}
