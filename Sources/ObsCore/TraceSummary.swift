/// One trace in a list: its root, how long it took, how many spans, whether any failed.
public struct TraceSummary: Sendable, Equatable {
    public var traceID: String
    /// The span without a parent (the earliest one when several or none qualify).
    public var rootService: String
    public var rootName: String
    public var start: Timestamp
    public var durationNanoseconds: Int64
    public var spanCount: Int
    public var hasError: Bool
    /// Every service with a span in the trace, sorted.
    public var services: [String]

    /// Summarises a trace's spans; nil for none.
    public init?(spans: [TraceSpan]) {
        guard let first = spans.first else { return nil }
        let byStart = spans.sorted { ($0.start, $0.spanID) < ($1.start, $1.spanID) }
        let root = byStart.first { $0.parentSpanID == nil } ?? byStart[0]
        let start = byStart[0].start
        let end = spans.map { $0.start.nanoseconds + $0.durationNanoseconds }.max() ?? start.nanoseconds
        traceID = first.traceID
        rootService = root.service
        rootName = root.name
        self.start = start
        durationNanoseconds = end - start.nanoseconds
        spanCount = spans.count
        hasError = spans.contains { $0.status == .error }
        services = Set(spans.map(\.service)).sorted()
    }

    public func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("trace_id"); json.string(traceID)
        json.key("root_service"); json.string(rootService)
        json.key("root_name"); json.string(rootName)
        json.key("start"); json.string(start.rfc3339)
        json.key("duration_ms"); json.double(Double(durationNanoseconds) / 1e6)
        json.key("span_count"); json.int(spanCount)
        json.key("error"); json.bool(hasError)
        json.key("services")
        json.beginArray()
        for service in services { json.string(service) }
        json.endArray()
        json.endObject()
    }
}

extension [TraceSummary] {
    /// The API's list shape: `{"traces":[…]}`, newest first.
    public var jsonList: JSONWriter {
        var json = JSONWriter(capacity: 256 * count + 16)
        json.beginObject()
        json.key("traces")
        json.beginArray()
        for summary in self { summary.write(to: &json) }
        json.endArray()
        json.endObject()
        return json
    }
}

/// What a trace list asks for; every field narrows it.
public struct TraceQuery: Sendable, Equatable {
    public static let defaultLimit = 20
    public static let maximumLimit = 1000

    /// Traces with at least one span of this service.
    public var service: String?
    public var minimumDurationNanoseconds: Int64?
    /// Only traces with an error span.
    public var errorsOnly: Bool
    /// Traces with a span starting in [since, until).
    public var since: Timestamp?
    public var until: Timestamp?
    public var limit: Int

    public init(service: String? = nil, minimumDurationNanoseconds: Int64? = nil, errorsOnly: Bool = false,
                since: Timestamp? = nil, until: Timestamp? = nil, limit: Int = TraceQuery.defaultLimit) {
        self.service = service
        self.minimumDurationNanoseconds = minimumDurationNanoseconds
        self.errorsOnly = errorsOnly
        self.since = since
        self.until = until
        self.limit = limit
    }
}
