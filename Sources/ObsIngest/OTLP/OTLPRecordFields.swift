import ObsCore

/// A span as OTLP carries it, whichever encoding it came in, before validation: both the
/// JSON and the protobuf decoder fill one, so the rules and messages are the same for both.
struct OTLPSpanFields {
    var traceID = ""
    var spanID = ""
    var parentSpanID = ""
    var name = ""
    var kind: SpanKind? = .unspecified
    var kindText = ""
    var start: UInt64 = 0
    var end: UInt64 = 0
    var status: SpanStatus? = .unset
    var statusText = ""
    var statusMessage = ""
    var attributes = "{}"
    var events = "[]"
    var links = "[]"

    func validated(service: String) -> Result<TraceSpan, OTLPRejection> {
        let label = "span \(spanID.isEmpty ? "?" : spanID) (\"\(name)\")"
        func reject(_ reason: String) -> Result<TraceSpan, OTLPRejection> { .failure(OTLPRejection(message: "\(label): \(reason)")) }
        guard let kind else { return reject("kind: \(kindText) is not a span kind (0–5)") }
        guard let status else { return reject("status.code: \(statusText) is not a status code (0–2)") }
        guard traceID.utf8.count == 32, traceID.isHexDigits, !traceID.utf8.allSatisfy({ $0 == UInt8(ascii: "0") }) else {
            return reject("traceId \"\(traceID)\" is not 32 hex characters")
        }
        guard spanID.utf8.count == 16, spanID.isHexDigits else { return reject("spanId \"\(spanID)\" is not 16 hex characters") }
        guard parentSpanID.isEmpty || (parentSpanID.utf8.count == 16 && parentSpanID.isHexDigits) else {
            return reject("parentSpanId \"\(parentSpanID)\" is not 16 hex characters")
        }
        guard start > 0, end > 0 else { return reject("startTimeUnixNano and endTimeUnixNano are required") }
        guard start <= UInt64(Int64.max), end <= UInt64(Int64.max) else {
            return reject("time is outside the supported range (1970 to 2262)")
        }
        guard end >= start else { return reject("endTimeUnixNano is before startTimeUnixNano") }
        return .success(TraceSpan(
            traceID: traceID.lowercased(), spanID: spanID.lowercased(),
            parentSpanID: parentSpanID.isEmpty ? nil : parentSpanID.lowercased(), service: service, name: name, kind: kind,
            start: Timestamp(nanoseconds: Int64(start)), durationNanoseconds: Int64(end - start), status: status,
            statusMessage: statusMessage.isEmpty ? nil : statusMessage, attributes: attributes, events: events, links: links
        ))
    }
}

/// A log record as OTLP carries it, before validation (see `OTLPSpanFields`).
struct OTLPLogFields {
    var time: UInt64 = 0
    var observedTime: UInt64 = 0
    var severityNumber = 0
    var severityText = ""
    var message = ""
    var traceID = ""
    var spanID = ""
    var attributes = "{}"

    func validated(service: String, receivedAt: Timestamp) -> Result<LogRecord, OTLPRejection> {
        let label = "log record (\"\(message.prefix(40))\")"
        func reject(_ reason: String) -> Result<LogRecord, OTLPRejection> { .failure(OTLPRejection(message: "\(label): \(reason)")) }
        let nanos = time != 0 ? time : observedTime
        guard nanos <= UInt64(Int64.max) else { return reject("timeUnixNano is outside the supported range (1970 to 2262)") }
        guard traceID.isEmpty || (traceID.utf8.count == 32 && traceID.isHexDigits) else {
            return reject("traceId \"\(traceID)\" is not 32 hex characters")
        }
        guard spanID.isEmpty || (spanID.utf8.count == 16 && spanID.isHexDigits) else {
            return reject("spanId \"\(spanID)\" is not 16 hex characters")
        }
        let severity = Severity(number: severityNumber) ?? Severity(name: severityText) ?? .info
        let noTrace = traceID.isEmpty || traceID.utf8.allSatisfy { $0 == UInt8(ascii: "0") }
        return .success(LogRecord(
            time: nanos == 0 ? receivedAt : Timestamp(nanoseconds: Int64(nanos)), service: service, severity: severity,
            message: message, traceID: noTrace ? nil : traceID.lowercased(), spanID: spanID.isEmpty ? nil : spanID.lowercased(),
            attributes: attributes
        ))
    }
}

struct OTLPRejection: Error {
    var message: String
}
