import ObsCore

/// One request as aggregation counts it (DESIGN.md, "Aggregation"): a server or consumer
/// span, a root span, or a request log line, with the labels obs keeps per series.
public struct RequestObservation: Sendable, Equatable {
    public var service: String
    /// `http.route`, else the span name; for logs the `route` field (empty when absent).
    public var route: String
    /// The HTTP method when known, else empty.
    public var method: String
    public var time: Timestamp
    /// nil for a request log line that carries no duration: it still counts as a request.
    public var durationMs: Double?
    /// Span status error, HTTP status ≥ 500, or a request log at level error or above.
    public var isError: Bool

    public init(service: String, route: String, method: String, time: Timestamp, durationMs: Double?, isError: Bool) {
        self.service = service
        self.route = route
        self.method = method
        self.time = time
        self.durationMs = durationMs
        self.isError = isError
    }

    /// The observation of a span that is a request: server or consumer kind, or a root.
    public init?(span: TraceSpan) {
        guard span.kind == .server || span.kind == .consumer || span.parentSpanID == nil else { return nil }
        let http = SpanHTTPAttributes(json: span.attributes)
        self.init(
            service: span.service, route: http.route ?? span.name, method: http.method ?? "",
            time: span.start, durationMs: span.durationMs,
            isError: span.status == .error || (http.statusCode ?? 0) >= 500
        )
    }

    /// The observation of a request log line: one carrying duration, status, route or method.
    public init?(log: LogRecord) {
        guard log.isRequest else { return nil }
        self.init(
            service: log.service, route: log.route ?? "", method: log.method ?? "", time: log.time,
            durationMs: log.durationMs, isError: (log.status ?? 0) >= 500 || log.severity >= .error
        )
    }
}
