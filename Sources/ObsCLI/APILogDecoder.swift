import ObsCore
import ObsIngest

/// Reads the API's `{"logs":[…]}` body back into records, for the CLI's table and CSV output.
public enum APILogDecoder {
    public static func decode(_ body: [UInt8]) throws(CLIError) -> [LogRecord] {
        var records: [LogRecord] = []
        do {
            try body.withUnsafeBufferPointer { (bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) in
                var scanner = JSONScanner(bytes: bytes)
                try scanner.forEachMember { (s: inout JSONScanner, key: String, _: Range<Int>) throws(JSONSyntaxError) in
                    guard key == "logs" else { try s.skipValue(depth: 2); return }
                    try s.forEachElement(depth: 2) { (s: inout JSONScanner, _: Int) throws(JSONSyntaxError) in
                        records.append(try record(&s))
                    }
                }
            }
        } catch {
            throw CLIError("the server's answer is not the expected JSON: \(error.reason) at byte \(error.offset)")
        }
        return records
    }

    static func record(_ s: inout JSONScanner) throws(JSONSyntaxError) -> LogRecord {
        var record = LogRecord(time: .earliest)
        try s.forEachMember(depth: 3) { (s: inout JSONScanner, key: String, _: Range<Int>) throws(JSONSyntaxError) in
            let kind = try s.peekKind()
            if kind == .null { try s.skipValue(depth: 4); return }
            switch key {
            case "time":
                let text = try s.readString()
                guard let time = try? Timestamp.parse(text).get() else { throw s.error("invalid time \(text)") }
                record.time = time
            case "service": record.service = try s.readString()
            case "severity": record.severity = Severity(number: Int(s.text(try s.readNumber())) ?? 9) ?? .info
            case "message": record.message = try s.readString()
            case "trace_id": record.traceID = try s.readString()
            case "span_id": record.spanID = try s.readString()
            case "duration_ms": record.durationMs = Double(s.text(try s.readNumber()))
            case "status": record.status = Int(s.text(try s.readNumber()))
            case "route": record.route = try s.readString()
            case "method": record.method = try s.readString()
            case "attributes": record.attributes = s.text(try s.skipValue(depth: 4).range)
            default: try s.skipValue(depth: 4)
            }
        }
        return record
    }
}
