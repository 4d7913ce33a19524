#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ObsCore

/// Frames native JSON bodies into records: NDJSON (one object per line, also a single
/// object, pretty-printed or not), a JSON array of objects, and UDP datagrams (NDJSON lines,
/// optionally framed by a syslog `<PRI>` prefix and a trailing NUL as Python's
/// `SysLogHandler` sends them).
///
/// A bad NDJSON line is rejected on its own and decoding resumes at the next line, so valid
/// lines in the same body are still accepted. A malformed JSON array is one document: it is
/// rejected as a whole.
public struct NativeBodyDecoder: Sendable {
    /// Records longer than this (one NDJSON line) are rejected without being parsed.
    public var maxRecordBytes: Int

    public init(maxRecordBytes: Int = 1 << 20) {
        self.maxRecordBytes = maxRecordBytes
    }

    public func decode<Record>(
        body: UnsafeBufferPointer<UInt8>,
        record: (inout JSONScanner) throws(RecordError) -> Record
    ) -> DecodeOutcome<Record> {
        var outcome = DecodeOutcome<Record>()
        var scanner = JSONScanner(bytes: body)
        scanner.skipWhitespace()
        if !scanner.isAtEnd, body[scanner.index] == UInt8(ascii: "[") {
            decodeArray(&scanner, into: &outcome, record: record)
        } else {
            decodeLines(body, into: &outcome, record: record)
        }
        return outcome
    }

    /// One UDP datagram: strips the syslog priority prefix and trailing NULs, then NDJSON.
    public func decode<Record>(
        datagram: UnsafeBufferPointer<UInt8>,
        record: (inout JSONScanner) throws(RecordError) -> Record
    ) -> DecodeOutcome<Record> {
        var start = 0
        var end = datagram.count
        if end > 0, datagram[0] == UInt8(ascii: "<") {
            var cursor = 1
            while cursor < min(end, 5), datagram[cursor] &- UInt8(ascii: "0") < 10 { cursor += 1 }
            if cursor > 1, cursor < end, datagram[cursor] == UInt8(ascii: ">") { start = cursor + 1 }
        }
        while end > start, datagram[end - 1] == 0 { end -= 1 }
        let payload = UnsafeBufferPointer(rebasing: datagram[start..<end])
        var outcome = DecodeOutcome<Record>()
        decodeLines(payload, into: &outcome, record: record)
        return outcome
    }

    private func decodeLines<Record>(
        _ body: UnsafeBufferPointer<UInt8>,
        into outcome: inout DecodeOutcome<Record>,
        record: (inout JSONScanner) throws(RecordError) -> Record
    ) {
        var index = 0
        var line = 1
        var lineStart = 0
        while index < body.count {
            // Skip blank space between records, counting lines.
            while index < body.count {
                let byte = body[index]
                if byte == 0x0A {
                    line += 1
                    lineStart = index + 1
                } else if byte != 0x20, byte != 0x09, byte != 0x0D {
                    break
                }
                index += 1
            }
            guard index < body.count else { break }
            let recordLine = line
            let recordLineStart = lineStart
            let lineEnd = Self.nextNewline(in: body, from: index)
            if lineEnd - index > maxRecordBytes {
                outcome.reject(LineError(
                    line: recordLine,
                    error: "line is \(lineEnd - index) bytes, over the limit of \(maxRecordBytes) bytes per record"
                ))
                index = lineEnd
                continue
            }
            var scanner = JSONScanner(bytes: body, index: index)
            do throws(RecordError) {
                let decoded = try record(&scanner)
                // The rest of the line after the object must be blank.
                while scanner.index < body.count, body[scanner.index] == 0x20 || body[scanner.index] == 0x09 || body[scanner.index] == 0x0D {
                    scanner.index += 1
                }
                if scanner.index < body.count, body[scanner.index] != 0x0A {
                    let column = Self.column(of: scanner.index, lineStart: Self.lineStart(in: body, before: scanner.index))
                    outcome.reject(LineError(line: recordLine, error: "invalid JSON at column \(column): unexpected text after the object"))
                    index = Self.nextNewline(in: body, from: scanner.index)
                    continue
                }
                outcome.records.append(decoded)
                // Objects may span lines (pretty-printed); keep the line count right.
                for offset in index..<scanner.index where body[offset] == 0x0A {
                    line += 1
                    lineStart = offset + 1
                }
                index = scanner.index
            } catch {
                outcome.reject(LineError(line: recordLine, error: Self.describe(error, body: body, recordLineStart: recordLineStart)))
                index = lineEnd
            }
        }
    }

    private func decodeArray<Record>(
        _ scanner: inout JSONScanner,
        into outcome: inout DecodeOutcome<Record>,
        record: (inout JSONScanner) throws(RecordError) -> Record
    ) {
        var records: [Record] = []
        var elementErrors: [LineError] = []
        do throws(JSONSyntaxError) {
            try scanner.forEachElement { (s: inout JSONScanner, position: Int) throws(JSONSyntaxError) in
                let elementStart = s.index
                do throws(RecordError) {
                    records.append(try record(&s))
                } catch {
                    switch error {
                    case .syntax(let syntax):
                        throw syntax
                    case .invalid(let reason):
                        // Valid JSON that obs cannot accept: step over the element and go on.
                        s.index = elementStart
                        try s.skipValue(depth: 2)
                        elementErrors.append(LineError(line: position + 1, error: "element \(position + 1): \(reason)"))
                    }
                }
            }
            scanner.skipWhitespace()
            if !scanner.isAtEnd { throw scanner.error("unexpected text after the JSON array") }
        } catch {
            let lineStart = Self.lineStart(in: scanner.bytes, before: error.offset)
            let line = scanner.bytes[..<lineStart].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            outcome.reject(LineError(
                line: line,
                error: "invalid JSON at line \(line), column \(Self.column(of: error.offset, lineStart: lineStart)): \(error.reason); the array was rejected as a whole"
            ))
            return
        }
        outcome.records = records
        for error in elementErrors { outcome.reject(error) }
    }

    static func describe(_ error: RecordError, body: UnsafeBufferPointer<UInt8>, recordLineStart: Int) -> String {
        switch error {
        case .invalid(let reason):
            return reason
        case .syntax(let syntax):
            let lineStart = lineStart(in: body, before: syntax.offset)
            let column = column(of: syntax.offset, lineStart: lineStart)
            if lineStart == recordLineStart {
                return "invalid JSON at column \(column): \(syntax.reason)"
            }
            let extraLines = body[recordLineStart..<lineStart].reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
            return "invalid JSON \(extraLines) line(s) further, column \(column): \(syntax.reason)"
        }
    }

    static func nextNewline(in body: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        guard index < body.count, let base = body.baseAddress else { return body.count }
        guard let found = memchr(base + index, 0x0A, body.count - index) else { return body.count }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    static func lineStart(in body: UnsafeBufferPointer<UInt8>, before offset: Int) -> Int {
        var cursor = min(offset, body.count)
        while cursor > 0, body[cursor - 1] != 0x0A { cursor -= 1 }
        return cursor
    }

    static func column(of offset: Int, lineStart: Int) -> Int {
        offset - lineStart + 1
    }
}
