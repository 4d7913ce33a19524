/// What the `WebhookRecorder` answers to one request, including the ways a real receiver misbehaves.
public struct RecordedResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: String
    /// Answer only after this delay: a receiver that hangs, so the client's timeout fires first.
    public var delay: Duration?
    /// Close the connection without answering: a receiver that drops the connection.
    public var closeWithoutAnswer: Bool

    public init(
        status: Int = 200, headers: [(name: String, value: String)] = [], body: String = "", delay: Duration? = nil,
        closeWithoutAnswer: Bool = false
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
        self.closeWithoutAnswer = closeWithoutAnswer
    }

    public static var ok: RecordedResponse { RecordedResponse(status: 200, body: "ok") }

    /// A refusal such as `503` with `Retry-After`, the way an overloaded receiver asks for a back-off.
    public static func status(_ status: Int, retryAfter: String? = nil, body: String = "") -> RecordedResponse {
        RecordedResponse(status: status, headers: retryAfter.map { [("Retry-After", $0)] } ?? [], body: body)
    }

    /// Answers 200 "ok", but only after `delay`.
    public static func hang(for delay: Duration) -> RecordedResponse {
        RecordedResponse(status: 200, body: "ok", delay: delay)
    }

    public static var dropConnection: RecordedResponse { RecordedResponse(closeWithoutAnswer: true) }
}
