import ObsCore

/// Turns one native JSON span object into a `TraceSpan`.
///
/// Fields: `trace_id`/`traceId` and `span_id`/`spanId` (required, hex), `parent_span_id`
/// (`parent_id`, `parentSpanId`), `service` (`service.name`, `svc`), `name` (required),
/// `kind` (server, client, internal, producer, consumer, or 0–5), `start` (required; any time
/// form logs accept), `end` or `duration_ms` (`duration`, with units), `status` (`ok`,
/// `error`, `unset`, or 0–2), `status_message`, `attributes` (object), `events` (array).
/// Other fields join the attributes; `type` is the UDP routing marker and is dropped.
public struct SpanRecordDecoder: Sendable {
    public init() {}

    enum Field {
        case traceID, spanID, parentSpanID, service, name, kind, start, end, duration, status, statusMessage, attributes, events, type

        init?(key: String) {
            switch key {
            case "trace_id", "traceId", "traceid": self = .traceID
            case "span_id", "spanId", "spanid": self = .spanID
            case "parent_span_id", "parent_id", "parentSpanId", "parentspanid": self = .parentSpanID
            case "service", "service.name", "svc": self = .service
            case "name": self = .name
            case "kind": self = .kind
            case "start", "start_time", "startTime", "ts", "timestamp", "time": self = .start
            case "end", "end_time", "endTime": self = .end
            case "duration_ms", "duration": self = .duration
            case "status": self = .status
            case "status_message", "statusMessage": self = .statusMessage
            case "attributes": self = .attributes
            case "events": self = .events
            case "type": self = .type
            default: return nil
            }
        }
    }

    public func decode(_ scanner: inout JSONScanner) throws(RecordError) -> TraceSpan {
        let bytes = scanner.bytes
        var traceID: String?, spanID: String?, parentSpanID: String?, name: String?
        var service = LogRecord.unknownService
        var kind = SpanKind.internal
        var start: Timestamp?, end: Timestamp?, durationNanoseconds: Int64?
        var status = SpanStatus.unset
        var statusMessage: String?
        var attributeMembers: [UInt8] = []
        var extraMembers: [UInt8] = []
        var events = "[]"
        var problem: String?

        func fail(_ message: String) { if problem == nil { problem = message } }
        func quoted(_ text: String) -> String { "\"" + (text.count > 64 ? String(text.prefix(64)) + "…" : text) + "\"" }

        try scanner.forEachRecordMember { (s: inout JSONScanner, key: String, keyRange: Range<Int>) throws(JSONSyntaxError) in
            let valueStart = s.index
            let value = try s.skipValue(depth: 2)
            func string() -> String? {
                guard value.kind == .string else { return nil }
                var copy = JSONScanner(bytes: bytes, index: valueStart)
                return try? copy.readString()
            }
            func time() -> Timestamp? {
                let result: Result<Timestamp, TimestampError>
                switch value.kind {
                case .string: result = Timestamp.parse(string() ?? "")
                case .number: result = Timestamp.parseEpoch(UnsafeBufferPointer(rebasing: bytes[value.range]))
                default:
                    fail("\(key): expected a time string or epoch number, got \(value.kind.article)")
                    return nil
                }
                switch result {
                case .success(let time): return time
                case .failure(let error):
                    fail("\(key): \(value.kind == .string ? quoted(string() ?? "") : s.text(value.range)) \(error)")
                    return nil
                }
            }
            func hexID(_ length: Int, _ what: String) -> String? {
                guard let text = string(), text.utf8.count == length, text.isHexDigits else {
                    fail("\(key): \(value.kind == .string ? quoted(string() ?? "") : value.kind.article) is not a \(length)-character hex \(what)")
                    return nil
                }
                return text.lowercased()
            }
            switch Field(key: key) {
            case .traceID: traceID = hexID(32, "trace id")
            case .spanID: spanID = hexID(16, "span id")
            case .parentSpanID:
                if value.kind == .null || string() == "" { break }
                parentSpanID = hexID(16, "span id")
            case .service:
                if let text = string() { service = text } else if value.kind != .null { fail("\(key): expected a string") }
            case .name:
                name = string()
                if name == nil { fail("\(key): expected a string, got \(value.kind.article)") }
            case .kind:
                if let text = string(), let parsed = SpanKind(name: text) {
                    kind = parsed
                } else if value.kind == .number, let number = Int(s.text(value.range)), let parsed = SpanKind(rawValue: number) {
                    kind = parsed
                } else {
                    fail("\(key): \(s.text(value.range)) is not a span kind (server, client, internal, producer, consumer)")
                }
            case .start: start = time()
            case .end: end = time()
            case .duration:
                let nanos: Double?
                switch value.kind {
                case .number: nanos = Double(s.text(value.range)).map { $0 * 1e6 }
                case .string: nanos = DurationText.nanoseconds(string() ?? "", defaultUnit: .milliseconds)
                default: nanos = nil
                }
                guard let nanos, nanos.isFinite, nanos >= 0, nanos < 9.2e18 else {
                    fail("\(key): \(s.text(value.range)) is not a non-negative duration")
                    return
                }
                durationNanoseconds = Int64(nanos.rounded())
            case .status:
                if let text = string(), let parsed = SpanStatus(name: text) {
                    status = parsed
                } else if value.kind == .number, let number = Int(s.text(value.range)), let parsed = SpanStatus(rawValue: number) {
                    status = parsed
                } else {
                    fail("\(key): \(s.text(value.range)) is not a span status (ok, error, unset)")
                }
            case .statusMessage: statusMessage = string()
            case .attributes:
                guard value.kind == .object else {
                    if value.kind != .null { fail("\(key): expected an object, got \(value.kind.article)") }
                    return
                }
                // The object's members, without its braces, to merge with unknown fields.
                var inner = value.range.lowerBound + 1
                var innerEnd = value.range.upperBound - 1
                while inner < innerEnd, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[inner]) { inner += 1 }
                while innerEnd > inner, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[innerEnd - 1]) { innerEnd -= 1 }
                attributeMembers.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[inner..<innerEnd]))
            case .events:
                guard value.kind == .array else {
                    if value.kind != .null { fail("\(key): expected an array, got \(value.kind.article)") }
                    return
                }
                events = s.text(value.range)
            case .type:
                break
            case nil:
                if !extraMembers.isEmpty { extraMembers.append(UInt8(ascii: ",")) }
                extraMembers.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[keyRange]))
                extraMembers.append(UInt8(ascii: ":"))
                extraMembers.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[value.range]))
            }
        }
        if let problem { throw .invalid(problem) }
        guard let traceID else { throw .invalid("trace_id: missing") }
        guard let spanID else { throw .invalid("span_id: missing") }
        guard let name, !name.isEmpty else { throw .invalid("name: missing") }
        guard let start else { throw .invalid("start: missing") }
        let duration: Int64
        if let end {
            guard end >= start else { throw .invalid("end: \(end.rfc3339) is before start \(start.rfc3339)") }
            duration = end.nanoseconds - start.nanoseconds
        } else if let durationNanoseconds {
            duration = durationNanoseconds
        } else {
            throw .invalid("end or duration_ms: missing")
        }
        var attributes: [UInt8] = [UInt8(ascii: "{")]
        attributes.append(contentsOf: attributeMembers)
        if !attributeMembers.isEmpty, !extraMembers.isEmpty { attributes.append(UInt8(ascii: ",")) }
        attributes.append(contentsOf: extraMembers)
        attributes.append(UInt8(ascii: "}"))
        return TraceSpan(
            traceID: traceID, spanID: spanID, parentSpanID: parentSpanID, service: service, name: name, kind: kind,
            start: start, durationNanoseconds: duration, status: status, statusMessage: statusMessage,
            attributes: String(decoding: attributes, as: UTF8.self), events: events
        )
    }
}
