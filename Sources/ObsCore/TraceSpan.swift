/// One normalized span (named so it cannot clash with swift-distributed-tracing's `Span`).
public struct TraceSpan: Sendable, Equatable {
    /// Lowercase hex, 32 characters.
    public var traceID: String
    /// Lowercase hex, 16 characters.
    public var spanID: String
    public var parentSpanID: String?
    public var service: String
    public var name: String
    public var kind: SpanKind
    public var start: Timestamp
    public var durationNanoseconds: Int64
    public var status: SpanStatus
    public var statusMessage: String?
    /// A JSON object text, nested values as sent.
    public var attributes: String
    /// A JSON array text of events as sent.
    public var events: String
    /// A JSON array text of links to other spans: `{"trace_id","span_id","attributes"}`.
    public var links: String

    public init(
        traceID: String, spanID: String, parentSpanID: String? = nil, service: String = LogRecord.unknownService,
        name: String, kind: SpanKind = .internal, start: Timestamp, durationNanoseconds: Int64,
        status: SpanStatus = .unset, statusMessage: String? = nil, attributes: String = "{}", events: String = "[]",
        links: String = "[]"
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.service = service
        self.name = name
        self.kind = kind
        self.start = start
        self.durationNanoseconds = durationNanoseconds
        self.status = status
        self.statusMessage = statusMessage
        self.attributes = attributes
        self.events = events
        self.links = links
    }

    public var durationMs: Double { Double(durationNanoseconds) / 1e6 }
}
