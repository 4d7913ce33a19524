import ObsCore

/// Turns one native JSON log object into a `LogRecord`, applying every normalization rule of
/// the ingestion contract: field aliases, time formats, severities, request fields with
/// units, and unknown fields kept verbatim as attributes.
///
/// Shippers differ: syslog-ng's `format-json` sends every value as a string, so numeric
/// fields (time, status, durations, levels) are also accepted as numeric strings.
public struct LogRecordDecoder: Sendable {
    public init() {}

    /// A decoded object, with the value of its `type` field when it is a string: UDP routes
    /// `"type":"span"` lines to span decoding.
    public struct Decoded: Sendable {
        public var record: LogRecord
        public var declaredType: String?
    }

    enum Field: Int {
        case time, service, level, message, traceID, spanID, durationMs, duration, status, route, method, type

        /// The bit recording that this field's canonical slot is filled (duration aliases share one).
        var slot: UInt16 { 1 << (self == .duration ? Field.durationMs.rawValue : rawValue) }

        /// The field a key names; keys match exactly first, then case-insensitively.
        init?(key: String) {
            if let field = Field(exactKey: key) {
                self = field
            } else if let field = Field(exactKey: key.lowercased()) {
                self = field
            } else {
                return nil
            }
        }

        // A switch over short string literals compiles to plain comparisons, which is
        // measurably cheaper per record than hashing every key into a dictionary.
        private init?(exactKey key: String) {
            switch key {
            case "ts", "timestamp", "time", "@timestamp": self = .time
            case "service", "service.name", "svc": self = .service
            case "level", "severity", "lvl": self = .level
            case "msg", "message", "body": self = .message
            case "trace_id", "traceid", "traceId": self = .traceID
            case "span_id", "spanid", "spanId": self = .spanID
            case "duration_ms", "latency_ms": self = .durationMs
            case "duration": self = .duration
            case "status", "http.status_code", "status_code": self = .status
            case "route", "http.route", "path": self = .route
            case "method", "http.method", "http.request.method": self = .method
            case "type": self = .type
            default: return nil
            }
        }
    }

    public func decode(_ scanner: inout JSONScanner, receivedAt: Timestamp) throws(RecordError) -> Decoded {
        var record = LogRecord(time: receivedAt)
        var filled: UInt16 = 0
        var attributes: [UInt8] = [UInt8(ascii: "{")]
        var fieldError: String?
        var declaredType: String?
        let bytes = scanner.bytes

        func keep(_ keyRange: Range<Int>, _ valueRange: Range<Int>) {
            if attributes.count > 1 { attributes.append(UInt8(ascii: ",")) }
            attributes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[keyRange]))
            attributes.append(UInt8(ascii: ":"))
            attributes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[valueRange]))
        }

        try scanner.forEachRecordMember { (s: inout JSONScanner, key: String, keyRange: Range<Int>) throws(JSONSyntaxError) in
            guard let field = Field(key: key), fieldError == nil, filled & field.slot == 0 else {
                let value = try s.skipValue(depth: 2)
                keep(keyRange, value.range)
                return
            }
            filled |= field.slot
            let value = try s.skipValue(depth: 2)
            let outcome = Self.apply(field, key: key, value: value, scanner: s, to: &record)
            switch outcome {
            case .applied: break
            case .keepAsAttribute:
                filled &= ~field.slot
                keep(keyRange, value.range)
            case .declaredType(let type):
                declaredType = type
                keep(keyRange, value.range)
            case .rejected(let reason):
                fieldError = reason
            }
        }
        if let fieldError { throw .invalid(fieldError) }
        attributes.append(UInt8(ascii: "}"))
        record.attributes = attributes.count == 2 ? "{}" : String(decoding: attributes, as: UTF8.self)
        return Decoded(record: record, declaredType: declaredType)
    }

    enum Outcome {
        case applied
        case keepAsAttribute
        case declaredType(String)
        case rejected(String)
    }

    static func apply(
        _ field: Field, key: String, value: (kind: JSONScanner.Kind, range: Range<Int>), scanner: JSONScanner,
        to record: inout LogRecord
    ) -> Outcome {
        func string() -> String {
            var copy = JSONScanner(bytes: scanner.bytes, index: value.range.lowerBound)
            return (try? copy.readString()) ?? ""
        }
        func quoted(_ text: String) -> String {
            let shown = text.count > 64 ? String(text.prefix(64)) + "…" : text
            return "\"" + shown + "\""
        }
        // Made only by the branches that need it: most fields never do.
        var rawText: String { scanner.text(value.range) }
        switch field {
        case .time:
            let result: Result<Timestamp, TimestampError>
            let shown: String
            switch value.kind {
            case .string:
                let text = string()
                result = Timestamp.parse(text)
                shown = quoted(text)
            case .number:
                result = Timestamp.parseEpoch(UnsafeBufferPointer(rebasing: scanner.bytes[value.range]))
                shown = rawText
            default:
                return .rejected("\(key): expected a time string or epoch number, got \(value.kind.article)")
            }
            switch result {
            case .success(let time): record.time = time
            case .failure(let error): return .rejected("\(key): \(shown) \(error)")
            }

        case .service:
            switch value.kind {
            case .string: record.service = string()
            case .number, .bool: record.service = rawText
            case .null: break
            default: return .rejected("\(key): expected a string, got \(value.kind.article)")
            }

        case .level:
            switch value.kind {
            case .string:
                let text = string()
                if let severity = Severity(name: text) {
                    record.severity = severity
                } else if let number = Int(text), let severity = Severity(number: number) {
                    record.severity = severity
                } else {
                    return .rejected("\(key): \(quoted(text)) is not a level (trace, debug, info, warn, error, fatal, or 1–24)")
                }
            case .number:
                guard let number = Int(rawText), let severity = Severity(number: number) else {
                    return .rejected("\(key): \(rawText) is not an OpenTelemetry severity number (1–24)")
                }
                record.severity = severity
            case .null: break
            default: return .rejected("\(key): expected a level name or number, got \(value.kind.article)")
            }

        case .message:
            switch value.kind {
            case .string: record.message = string()
            case .null: break
            default: record.message = rawText
            }

        case .traceID, .spanID:
            guard value.kind == .string else {
                if value.kind == .null { return .applied }
                return .rejected("\(key): expected a hex string, got \(value.kind.article)")
            }
            let text = string()
            if text.isEmpty { return .applied }
            let allowed = field == .traceID ? [32, 16] : [16]
            guard allowed.contains(text.utf8.count), text.isHexDigits else {
                let what = field == .traceID ? "a 32-character hex trace id" : "a 16-character hex span id"
                return .rejected("\(key): \(quoted(text)) is not \(what)")
            }
            let lowered = text.lowercased()
            // All-zero ids are OpenTelemetry's "invalid" marker: no id at all.
            if lowered.utf8.allSatisfy({ $0 == UInt8(ascii: "0") }) { return .applied }
            if field == .traceID { record.traceID = lowered } else { record.spanID = lowered }

        case .durationMs, .duration:
            let milliseconds: Double
            switch value.kind {
            case .number:
                guard let number = Double(rawText) else { return .rejected("\(key): \(rawText) is not a number") }
                guard number.isFinite else { return .rejected("\(key): \(rawText) is out of range") }
                guard number >= 0 else { return .rejected("\(key): \(rawText) is negative") }
                milliseconds = number
            case .string:
                let text = string()
                guard let nanos = DurationText.nanoseconds(text, defaultUnit: .milliseconds) else {
                    if let number = Double(text.trimmingCharacters(in: " ")), number < 0 || !number.isFinite {
                        return .rejected("\(key): \(quoted(text)) is \(number < 0 ? "negative" : "out of range")")
                    }
                    // Not a duration at all (`"duration":"long"`): an ordinary attribute.
                    return .keepAsAttribute
                }
                milliseconds = nanos / 1e6
            case .null: return .applied
            default: return .keepAsAttribute
            }
            guard milliseconds.isFinite, milliseconds < 1e15 else {
                return .rejected("\(key): \(rawText) is out of range")
            }
            record.durationMs = milliseconds

        case .status:
            let text: String
            switch value.kind {
            case .number: text = rawText
            case .string:
                text = string()
                // `"status":"ok"` is an application status, not an HTTP one: keep it as is.
                guard text.utf8.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }),
                      !text.isEmpty else { return .keepAsAttribute }
            case .null: return .applied
            default: return .keepAsAttribute
            }
            guard let status = Int(text), (100...599).contains(status) else {
                return .rejected("\(key): \(text) is not an HTTP status code (100–599)")
            }
            record.status = status

        case .route:
            guard value.kind == .string else { return value.kind == .null ? .applied : .keepAsAttribute }
            record.route = string()

        case .method:
            guard value.kind == .string else { return value.kind == .null ? .applied : .keepAsAttribute }
            record.method = string().uppercased()

        case .type:
            guard value.kind == .string else { return .keepAsAttribute }
            return .declaredType(string())
        }
        return .applied
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> Substring {
        var text = self[...]
        while text.first == set { text.removeFirst() }
        while text.last == set { text.removeLast() }
        return text
    }
}
