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

    struct Rejection: Error {
        var message: String
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

    private static func span(_ s: inout JSONScanner, service: String) throws(JSONSyntaxError) -> Result<TraceSpan, Rejection> {
        var traceID = "", spanID = "", parentSpanID = "", name = ""
        var kind = SpanKind.unspecified
        var start: UInt64?, end: UInt64?
        var status = SpanStatus.unset
        var statusMessage: String?
        var attributes: [(key: String, json: String)] = []
        var events: [String] = []
        var problem: String?
        try s.forEachMember(depth: 7) { (s: inout JSONScanner, key: String, _: Range<Int>) throws(JSONSyntaxError) in
            switch key {
            case "traceId", "trace_id": traceID = try s.readString()
            case "spanId", "span_id": spanID = try s.readString()
            case "parentSpanId", "parent_span_id": parentSpanID = try s.readString()
            case "name": name = try s.readString()
            case "kind":
                let value = try s.skipValue(depth: 8)
                let text = s.text(value.range).trimmingCharacters(in: "\"")
                if let parsed = Int(text).flatMap(SpanKind.init(rawValue:)) ?? SpanKind(name: text) {
                    kind = parsed
                } else {
                    problem = problem ?? "kind: \(s.text(value.range)) is not a span kind (0–5)"
                }
            case "startTimeUnixNano", "start_time_unix_nano": start = try OTLPJSONValue.nanoseconds(&s)
            case "endTimeUnixNano", "end_time_unix_nano": end = try OTLPJSONValue.nanoseconds(&s)
            case "attributes": attributes = try OTLPJSONValue.keyValues(&s, depth: 8)
            case "status":
                try s.forEachMember(depth: 8) { (s: inout JSONScanner, key: String, _: Range<Int>) throws(JSONSyntaxError) in
                    switch key {
                    case "code":
                        let value = try s.skipValue(depth: 9)
                        let text = s.text(value.range).trimmingCharacters(in: "\"")
                        if let parsed = Int(text).flatMap(SpanStatus.init(rawValue:)) ?? SpanStatus(name: text) {
                            status = parsed
                        } else {
                            problem = problem ?? "status.code: \(s.text(value.range)) is not a status code (0–2)"
                        }
                    case "message": statusMessage = try s.readString()
                    default: try s.skipValue(depth: 9)
                    }
                }
            case "events":
                try s.forEachElement(depth: 8) { (s: inout JSONScanner, _: Int) throws(JSONSyntaxError) in
                    var eventName = "", time: UInt64?
                    var eventAttributes: [(key: String, json: String)] = []
                    try s.forEachMember(depth: 9) { (s: inout JSONScanner, key: String, _: Range<Int>) throws(JSONSyntaxError) in
                        switch key {
                        case "name": eventName = try s.readString()
                        case "timeUnixNano", "time_unix_nano": time = try OTLPJSONValue.nanoseconds(&s)
                        case "attributes": eventAttributes = try OTLPJSONValue.keyValues(&s, depth: 10)
                        default: try s.skipValue(depth: 10)
                        }
                    }
                    var writer = JSONWriter()
                    writer.beginObject()
                    writer.key("name"); writer.string(eventName)
                    if let time, time <= UInt64(Int64.max) { writer.key("time"); writer.string(Timestamp(nanoseconds: Int64(time)).rfc3339) }
                    writer.key("attributes"); writer.raw(OTLPJSONValue.object(eventAttributes))
                    writer.endObject()
                    events.append(writer.string)
                }
            default: try s.skipValue(depth: 8)
            }
        }
        let label = "span \(spanID.isEmpty ? "?" : spanID) (\"\(name)\")"
        if let problem { return .failure(Rejection(message: "\(label): \(problem)")) }
        guard traceID.utf8.count == 32, traceID.isHexDigits, !traceID.utf8.allSatisfy({ $0 == UInt8(ascii: "0") }) else {
            return .failure(Rejection(message: "\(label): traceId \"\(traceID)\" is not 32 hex characters"))
        }
        guard spanID.utf8.count == 16, spanID.isHexDigits else {
            return .failure(Rejection(message: "\(label): spanId \"\(spanID)\" is not 16 hex characters"))
        }
        guard parentSpanID.isEmpty || (parentSpanID.utf8.count == 16 && parentSpanID.isHexDigits) else {
            return .failure(Rejection(message: "\(label): parentSpanId \"\(parentSpanID)\" is not 16 hex characters"))
        }
        guard let start, let end, start > 0 else {
            return .failure(Rejection(message: "\(label): startTimeUnixNano and endTimeUnixNano are required"))
        }
        guard start <= UInt64(Int64.max), end <= UInt64(Int64.max) else {
            return .failure(Rejection(message: "\(label): time is outside the supported range (1970 to 2262)"))
        }
        guard end >= start else {
            return .failure(Rejection(message: "\(label): endTimeUnixNano is before startTimeUnixNano"))
        }
        return .success(TraceSpan(
            traceID: traceID.lowercased(), spanID: spanID.lowercased(),
            parentSpanID: parentSpanID.isEmpty ? nil : parentSpanID.lowercased(), service: service, name: name, kind: kind,
            start: Timestamp(nanoseconds: Int64(start)), durationNanoseconds: Int64(end - start), status: status,
            statusMessage: statusMessage?.isEmpty == true ? nil : statusMessage,
            attributes: OTLPJSONValue.object(attributes), events: "[" + events.joined(separator: ",") + "]"
        ))
    }

    private static func logRecord(
        _ s: inout JSONScanner, service: String, receivedAt: Timestamp
    ) throws(JSONSyntaxError) -> Result<LogRecord, Rejection> {
        var time: UInt64 = 0, observed: UInt64 = 0
        var severityNumber: Int?
        var severityText: String?
        var message = ""
        var traceID = "", spanID = ""
        var attributes: [(key: String, json: String)] = []
        try s.forEachMember(depth: 7) { (s: inout JSONScanner, key: String, _: Range<Int>) throws(JSONSyntaxError) in
            switch key {
            case "timeUnixNano", "time_unix_nano": time = try OTLPJSONValue.nanoseconds(&s) ?? 0
            case "observedTimeUnixNano", "observed_time_unix_nano": observed = try OTLPJSONValue.nanoseconds(&s) ?? 0
            case "severityNumber", "severity_number":
                let value = try s.skipValue(depth: 8)
                severityNumber = Int(s.text(value.range).trimmingCharacters(in: "\""))
            case "severityText", "severity_text": severityText = try s.readString()
            case "body": message = try OTLPJSONValue.text(&s, depth: 8)
            case "traceId", "trace_id": traceID = try s.readString()
            case "spanId", "span_id": spanID = try s.readString()
            case "attributes": attributes = try OTLPJSONValue.keyValues(&s, depth: 8)
            default: try s.skipValue(depth: 8)
            }
        }
        let nanos = time != 0 ? time : observed
        guard nanos <= UInt64(Int64.max) else {
            return .failure(Rejection(message: "log record (\"\(message.prefix(40))\"): timeUnixNano is outside the supported range (1970 to 2262)"))
        }
        guard traceID.isEmpty || (traceID.utf8.count == 32 && traceID.isHexDigits) else {
            return .failure(Rejection(message: "log record (\"\(message.prefix(40))\"): traceId \"\(traceID)\" is not 32 hex characters"))
        }
        guard spanID.isEmpty || (spanID.utf8.count == 16 && spanID.isHexDigits) else {
            return .failure(Rejection(message: "log record (\"\(message.prefix(40))\"): spanId \"\(spanID)\" is not 16 hex characters"))
        }
        let severity = severityNumber.flatMap(Severity.init(number:)) ?? severityText.flatMap(Severity.init(name:)) ?? .info
        let zeroTrace = traceID.utf8.allSatisfy { $0 == UInt8(ascii: "0") }
        return .success(LogRecord(
            time: nanos == 0 ? receivedAt : Timestamp(nanoseconds: Int64(nanos)), service: service, severity: severity,
            message: message, traceID: traceID.isEmpty || zeroTrace ? nil : traceID.lowercased(),
            spanID: spanID.isEmpty ? nil : spanID.lowercased(), attributes: OTLPJSONValue.object(attributes)
        ))
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
