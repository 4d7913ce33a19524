import ObsCore
@testable import ObsIngest
import Testing

@Suite("Body and datagram framing")
struct NativeBodyDecoderTests {
    @Test("NDJSON: blank lines, CRLF, and bad lines rejected alone with their line numbers")
    func ndjson() {
        let outcome = decodeBody("{\"msg\":\"1\"}\r\n\n  {\"msg\":\"2\"}\n{\"msg\":\n{\"msg\":\"4\"} trailing\n[1]\n{\"msg\":\"6\"}")
        #expect(outcome.records.map(\.message) == ["1", "2", "6"])
        #expect(outcome.rejected == 3)
        #expect(outcome.errors == [
            LineError(line: 4, error: "invalid JSON 1 line(s) further, column 13: expected ',' or '}' after an object member, found 't'"),
            LineError(line: 5, error: "invalid JSON at column 13: unexpected text after the object"),
            LineError(line: 6, error: "expected a JSON object, got an array"),
        ])
    }

    @Test("one object, pretty-printed over several lines")
    func prettyObject() {
        let outcome = decodeBody("{\n  \"msg\": \"pretty\",\n  \"level\": \"warn\"\n}\n")
        #expect(outcome.rejected == 0)
        #expect(outcome.records.map(\.message) == ["pretty"])
    }

    @Test("a JSON array: non-objects are rejected by position, the rest kept")
    func array() {
        let outcome = decodeBody("[{\"msg\":\"a\"}, 7, {\"msg\":\"c\"}, {\"level\":\"loud\"}]")
        #expect(outcome.records.map(\.message) == ["a", "c"])
        #expect(outcome.errors == [
            LineError(line: 2, error: "element 2: expected a JSON object, got a number"),
            LineError(line: 4, error: "element 4: level: \"loud\" is not a level (trace, debug, info, warn, error, fatal, or 1–24)"),
        ])
    }

    @Test("a malformed array is rejected as a whole")
    func malformedArray() {
        let outcome = decodeBody("[{\"msg\":\"a\"},\n{\"msg\":\"b\"")
        #expect(outcome.records.isEmpty)
        #expect(outcome.errors == [LineError(line: 2, error: "invalid JSON at line 2, column 11: unexpected end of input inside an object; the array was rejected as a whole")])
    }

    @Test("an empty body is no records and no errors")
    func empty() {
        let outcome = decodeBody(" \n\n")
        #expect(outcome.records.isEmpty && outcome.rejected == 0)
    }

    @Test("at most ten errors are listed, all are counted")
    func errorLimit() {
        let outcome = decodeBody(String(repeating: "nope\n", count: 25) + "{\"msg\":\"ok\"}")
        #expect(outcome.rejected == 25)
        #expect(outcome.errors.count == 10)
        #expect(outcome.errors.last?.line == 10)
        #expect(outcome.records.count == 1)
    }

    @Test("a record over the line limit is rejected without parsing")
    func lineLimit() {
        let long = "{\"msg\":\"" + String(repeating: "x", count: 100) + "\"}"
        let outcome = decodeBody(long + "\n{\"msg\":\"short\"}", maxRecordBytes: 64)
        #expect(outcome.errors == [LineError(line: 1, error: "line is 110 bytes, over the limit of 64 bytes per record")])
        #expect(outcome.records.map(\.message) == ["short"])
    }

    @Test("hostile input: deep nesting, invalid UTF-8, control characters, huge numbers")
    func hostile() {
        let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(decodeBody("{\"a\":" + deep + "}").errors.first?.error == "invalid JSON at column 105: nested deeper than 100 levels")
        #expect(decodeBody(Array("{\"msg\":\"".utf8) + [0xC3, 0x28] + Array("\"}".utf8)).errors.first?.error
                == "invalid JSON at column 9: invalid UTF-8 sequence starting with byte 0xC3")
        #expect(decodeBody(Array("{\"msg\":\"".utf8) + [0xED, 0xA0, 0x80] + Array("\"}".utf8)).errors.first?.error
                == "invalid JSON at column 9: invalid UTF-8 sequence starting with byte 0xED")
        #expect(decodeBody(Array("{\"msg\":\"a".utf8) + [0x01] + Array("\"}".utf8)).errors.first?.error
                == "invalid JSON at column 10: unescaped control character byte 0x1 in a string")
        #expect(decodeBody("{\"msg\":\"bad \\x escape\"}").errors.first?.error == "invalid JSON at column 14: invalid escape \\x in a string")
        #expect(decodeBody("{\"n\":1e99999}").records.first?.attributes == "{\"n\":1e99999}")
        #expect(decodeBody("{\"n\":01}").errors.first?.error == "invalid JSON at column 7: invalid number: leading zero")
        #expect(decodeBody("{\"msg\":\"unterminated").errors.first?.error == "invalid JSON at column 21: unexpected end of input inside a string")
    }

    @Test("datagrams: syslog priority prefix and trailing NUL (Python SysLogHandler), several lines")
    func datagrams() {
        let decoder = LogRecordDecoder()
        func decode(_ bytes: [UInt8]) -> DecodeOutcome<LogRecord> {
            bytes.withUnsafeBufferPointer { buffer in
                NativeBodyDecoder().decode(datagram: buffer) { (scanner: inout JSONScanner) throws(RecordError) in
                    try decoder.decode(&scanner, receivedAt: receivedAt).record
                }
            }
        }
        #expect(decode(Array("<14>{\"msg\":\"syslog\"}".utf8) + [0]).records.map(\.message) == ["syslog"])
        #expect(decode(Array("{\"msg\":\"a\"}\n{\"msg\":\"b\"}\n".utf8)).records.map(\.message) == ["a", "b"])
        #expect(decode(Array("<191>{\"msg\":\"max priority\"}\n".utf8)).records.count == 1)
        #expect(decode(Array("<14>plain text".utf8)).rejected == 1)
    }
}

@Suite("JSON scanner")
struct JSONScannerTests {
    func skip(_ text: String) -> Result<JSONScanner.Kind, JSONSyntaxError> {
        Array(text.utf8).withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(bytes: buffer)
            do throws(JSONSyntaxError) {
                let kind = try scanner.skipValue().kind
                scanner.skipWhitespace()
                guard scanner.isAtEnd else { return .failure(scanner.error("trailing")) }
                return .success(kind)
            } catch {
                return .failure(error)
            }
        }
    }

    @Test("valid values", arguments: [
        #"{}"#, #"[]"#, #""""#, #"0"#, #"-0.5e+10"#, #"true"#, #"false"#, #"null"#,
        #"{"a":[1,{"b":null}],"c":"\u00e9\n\"","d":-12.25E-3}"#, "\"é😀\"",
    ])
    func valid(text: String) {
        #expect((try? skip(text).get()) != nil)
    }

    @Test("invalid values", arguments: [
        #"{"#, #"{"a"}"#, #"{"a":}"#, #"[1,]"#, #"01"#, #"1."#, #"-"#, #"tru"#, #"{'a':1}"#, #""\u12"#, #"{"a":1,}"#, "[1 2]",
    ])
    func invalid(text: String) {
        #expect((try? skip(text).get()) == nil)
    }
}
