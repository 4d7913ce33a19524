import ObsCore

/// Decodes OTLP/HTTP JSON export requests (`ExportTraceServiceRequest`,
/// `ExportLogsServiceRequest`) as the OTLP specification encodes them: lowerCamelCase keys,
/// hex trace and span ids (not protobuf JSON's base64), integer enums, 64-bit integers as
/// strings or numbers. A request that is not such JSON throws; an invalid span or log record
/// is rejected alone, with a reason naming it and the field.
public struct OTLPJSONDecoder: Sendable {
    public init() {}

    public func decodeTraces(_ body: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> OTLPOutcome<TraceSpan> {
        var outcome = OTLPOutcome<TraceSpan>()
        var s = JSONScanner(bytes: body)
        try s.forEachMember { (s: inout JSONScanner, key: String, _: Range<Int>) throws(JSONSyntaxError) in
            guard key == "resourceSpans" || key == "resource_spans" else { try s.skipValue(depth: 2); return }
            try s.forEachElement(depth: 2) { (s: inout JSONScanner, _: Int) throws(JSONSyntaxError) in
                var service = LogRecord.unknownService
                try s.forEachMember(depth: 3) { (s: inout JSONScanner, key: String, _: Range<Int>) throws(JSONSyntaxError) in
                    switch key {
                    case "resource": service = try Self.resourceService(&s) ?? service
                    case "scopeSpans", "scope_spans":
                        try s.forEachElement(depth: 4) { (s: inout JSONScanner, _: Int) throws(JSONSyntaxError) in
                            try s.forEachMember(depth: 5) { (s: inout JSONScanner, key: String, _: Range<Int>) throws(JSONSyntaxError) in
                                guard key == "spans" else { try s.skipValue(depth: 6); return }
                                try s.forEachElement(depth: 6) { (s: inout JSONScanner, _: Int) throws(JSONSyntaxError) in
                                    switch try Self.span(&s, service: service) {
                                    case .success(let span): outcome.records.append(span)
                                    case .failure(let reason): outcome.reject(reason.message)
                                    }
                                }
                            }
                        }
                    default: try s.skipValue(depth: 4)
                    }
                }
            }
        }
        try Self.expectEnd(&s)
        return outcome
    }

    public func decodeLogs(_ body: UnsafeBufferPointer<UInt8>, receivedAt: Timestamp) throws(JSONSyntaxError) -> OTLPOutcome<LogRecord> {
        var outcome = OTLPOutcome<LogRecord>()
        var s = JSONScanner(bytes: body)
        try s.forEachMember { (s: inout JSONScanner, key: String, _: Range<Int>) throws(JSONSyntaxError) in
            guard key == "resourceLogs" || key == "resource_logs" else { try s.skipValue(depth: 2); return }
            try s.forEachElement(depth: 2) { (s: inout JSONScanner, _: Int) throws(JSONSyntaxError) in
                var service = LogRecord.unknownService
                try s.forEachMember(depth: 3) { (s: inout JSONScanner, key: String, _: Range<Int>) throws(JSONSyntaxError) in
                    switch key {
                    case "resource": service = try Self.resourceService(&s) ?? service
                    case "scopeLogs", "scope_logs":
                        try s.forEachElement(depth: 4) { (s: inout JSONScanner, _: Int) throws(JSONSyntaxError) in
                            try s.forEachMember(depth: 5) { (s: inout JSONScanner, key: String, _: Range<Int>) throws(JSONSyntaxError) in
                                guard key == "logRecords" || key == "log_records" else { try s.skipValue(depth: 6); return }
                                try s.forEachElement(depth: 6) { (s: inout JSONScanner, _: Int) throws(JSONSyntaxError) in
                                    switch try Self.logRecord(&s, service: service, receivedAt: receivedAt) {
                                    case .success(let record): outcome.records.append(record)
                                    case .failure(let reason): outcome.reject(reason.message)
                                    }
                                }
                            }
                        }
                    default: try s.skipValue(depth: 4)
                    }
                }
            }
        }
        try Self.expectEnd(&s)
        return outcome
    }

    private static func expectEnd(_ s: inout JSONScanner) throws(JSONSyntaxError) {
        s.skipWhitespace()
        if !s.isAtEnd { throw s.error("unexpected text after the request object") }
    }

    /// The resource's `service.name`, skipping the rest of the resource.
    private static func resourceService(_ s: inout JSONScanner) throws(JSONSyntaxError) -> String? {
        var service: String?
        try s.forEachMember(depth: 4) { (s: inout JSONScanner, key: String, _: Range<Int>) throws(JSONSyntaxError) in
            guard key == "attributes" else { try s.skipValue(depth: 5); return }
            for pair in try OTLPJSONValue.keyValues(&s, depth: 5) where pair.key == "service.name" {
                service = pair.json.hasPrefix("\"") ? String(pair.json.dropFirst().dropLast()) : pair.json
            }
        }
        return service
    }

    private static func span(_ s: inout JSONScanner, service: String) throws(JSONSyntaxError) -> Result<TraceSpan, OTLPRejection> {
        var span = OTLPSpanFields()
        try s.forEachMember(depth: 7) { (s: inout JSONScanner, key: String, _: Range<Int>) throws(JSONSyntaxError) in
            switch key {
            case "traceId", "trace_id": span.traceID = try s.readString()
            case "spanId", "span_id": span.spanID = try s.readString()
            case "parentSpanId", "parent_span_id": span.parentSpanID = try s.readString()
            case "name": span.name = try s.readString()
            case "kind":
                span.kindText = s.text(try s.skipValue(depth: 8).range)
                let text = span.kindText.trimmingCharacters(in: "\"")
                span.kind = Int(text).flatMap(SpanKind.init(rawValue:)) ?? SpanKind(name: text)
            case "startTimeUnixNano", "start_time_unix_nano": span.start = try OTLPJSONValue.nanoseconds(&s) ?? 0
            case "endTimeUnixNano", "end_time_unix_nano": span.end = try OTLPJSONValue.nanoseconds(&s) ?? 0
            case "attributes": span.attributes = OTLPJSONValue.object(try OTLPJSONValue.keyValues(&s, depth: 8))
            case "status":
                try s.forEachMember(depth: 8) { (s: inout JSONScanner, key: String, _: Range<Int>) throws(JSONSyntaxError) in
                    switch key {
                    case "code":
                        span.statusText = s.text(try s.skipValue(depth: 9).range)
                        let text = span.statusText.trimmingCharacters(in: "\"")
                        span.status = Int(text).flatMap(SpanStatus.init(rawValue:)) ?? SpanStatus(name: text)
                    case "message": span.statusMessage = try s.readString()
                    default: try s.skipValue(depth: 9)
                    }
                }
            case "events":
                var events: [String] = []
                try s.forEachElement(depth: 8) { (s: inout JSONScanner, _: Int) throws(JSONSyntaxError) in
                    var name = ""
                    var time: UInt64 = 0
                    var attributes = "{}"
                    try s.forEachMember(depth: 9) { (s: inout JSONScanner, key: String, _: Range<Int>) throws(JSONSyntaxError) in
                        switch key {
                        case "name": name = try s.readString()
                        case "timeUnixNano", "time_unix_nano": time = try OTLPJSONValue.nanoseconds(&s) ?? 0
                        case "attributes": attributes = OTLPJSONValue.object(try OTLPJSONValue.keyValues(&s, depth: 10))
                        default: try s.skipValue(depth: 10)
                        }
                    }
                    events.append(OTLPJSONValue.event(name: name, time: time, attributes: attributes))
                }
                span.events = "[" + events.joined(separator: ",") + "]"
            case "links":
                var links: [String] = []
                try s.forEachElement(depth: 8) { (s: inout JSONScanner, _: Int) throws(JSONSyntaxError) in
                    var traceID = "", spanID = "", attributes = "{}"
                    try s.forEachMember(depth: 9) { (s: inout JSONScanner, key: String, _: Range<Int>) throws(JSONSyntaxError) in
                        switch key {
                        case "traceId", "trace_id": traceID = try s.readString()
                        case "spanId", "span_id": spanID = try s.readString()
                        case "attributes": attributes = OTLPJSONValue.object(try OTLPJSONValue.keyValues(&s, depth: 10))
                        default: try s.skipValue(depth: 10)
                        }
                    }
                    links.append(OTLPJSONValue.link(traceID: traceID, spanID: spanID, attributes: attributes))
                }
                span.links = "[" + links.joined(separator: ",") + "]"
            default: try s.skipValue(depth: 8)
            }
        }
        return span.validated(service: service)
    }

    private static func logRecord(
        _ s: inout JSONScanner, service: String, receivedAt: Timestamp
    ) throws(JSONSyntaxError) -> Result<LogRecord, OTLPRejection> {
        var record = OTLPLogFields()
        try s.forEachMember(depth: 7) { (s: inout JSONScanner, key: String, _: Range<Int>) throws(JSONSyntaxError) in
            switch key {
            case "timeUnixNano", "time_unix_nano": record.time = try OTLPJSONValue.nanoseconds(&s) ?? 0
            case "observedTimeUnixNano", "observed_time_unix_nano": record.observedTime = try OTLPJSONValue.nanoseconds(&s) ?? 0
            case "severityNumber", "severity_number":
                record.severityNumber = Int(s.text(try s.skipValue(depth: 8).range).trimmingCharacters(in: "\"")) ?? 0
            case "severityText", "severity_text": record.severityText = try s.readString()
            case "body": record.message = try OTLPJSONValue.text(&s, depth: 8)
            case "traceId", "trace_id": record.traceID = try s.readString()
            case "spanId", "span_id": record.spanID = try s.readString()
            case "attributes": record.attributes = OTLPJSONValue.object(try OTLPJSONValue.keyValues(&s, depth: 8))
            default: try s.skipValue(depth: 8)
            }
        }
        return record.validated(service: service, receivedAt: receivedAt)
    }
}

extension String {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        var text = self[...]
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return String(text)
    }
}
