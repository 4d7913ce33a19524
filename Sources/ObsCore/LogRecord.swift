/// One normalized log record: what every decoder produces and everything downstream reads.
public struct LogRecord: Sendable, Equatable {
    public var time: Timestamp
    public var service: String
    public var severity: Severity
    public var message: String
    /// Lowercase hex, 32 characters (or 16 for 64-bit trace ids).
    public var traceID: String?
    /// Lowercase hex, 16 characters.
    public var spanID: String?
    /// Request fields: their presence makes the record a request observation.
    public var durationMs: Double?
    public var status: Int?
    public var route: String?
    public var method: String?
    /// Every field the record carried that has no column of its own, as a JSON object text
    /// with nested values kept as they were sent.
    public var attributes: String

    public static let unknownService = "unknown"

    public init(
        time: Timestamp,
        service: String = LogRecord.unknownService,
        severity: Severity = .info,
        message: String = "",
        traceID: String? = nil,
        spanID: String? = nil,
        durationMs: Double? = nil,
        status: Int? = nil,
        route: String? = nil,
        method: String? = nil,
        attributes: String = "{}"
    ) {
        self.time = time
        self.service = service
        self.severity = severity
        self.message = message
        self.traceID = traceID
        self.spanID = spanID
        self.durationMs = durationMs
        self.status = status
        self.route = route
        self.method = method
        self.attributes = attributes
    }

    /// True when the record carries any request field (duration, status, route or method).
    public var isRequest: Bool {
        durationMs != nil || status != nil || route != nil || method != nil
    }
}
