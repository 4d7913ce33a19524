import ObsCore
@testable import ObsIngest
import Testing

func decodeSpan(_ line: String) -> Result<TraceSpan, LineError> {
    let decoder = SpanRecordDecoder()
    let outcome = Array(line.utf8).withUnsafeBufferPointer { buffer in
        NativeBodyDecoder().decode(body: buffer) { (scanner: inout JSONScanner) throws(RecordError) in try decoder.decode(&scanner) }
    }
    if let span = outcome.records.first { return .success(span) }
    return .failure(outcome.errors.first ?? LineError(line: 0, error: "nothing decoded"))
}

func spanRejection(_ line: String) -> String? {
    if case .failure(let error) = decodeSpan(line) { return error.error }
    return nil
}

let traceHex = "4bf92f3577b34da6a3ce929d0e0e4736"

@Suite("Native span normalization")
struct SpanRecordDecoderTests {
    @Test("every field, with end or duration, kinds and statuses by name or number")
    func fields() throws {
        let span = try decodeSpan("""
            {"traceId":"\(traceHex.uppercased())","spanId":"00F067AA0BA902B7","parent_id":"a3ce929d0e0e4736","svc":"cart","name":"GET /cart","kind":"SPAN_KIND_SERVER","start":"2026-11-25T16:00:00Z","end":"2026-11-25T16:00:00.25Z","status":"error","status_message":"boom","attributes":{"http.route":"/cart","retries":2},"events":[{"name":"e"}],"user":"u1"}
            """).get()
        #expect(span.traceID == traceHex)
        #expect(span.spanID == "00f067aa0ba902b7")
        #expect(span.parentSpanID == "a3ce929d0e0e4736")
        #expect(span.service == "cart")
        #expect(span.kind == .server)
        #expect(span.durationNanoseconds == 250_000_000)
        #expect(span.status == .error)
        #expect(span.statusMessage == "boom")
        #expect(span.attributes == #"{"http.route":"/cart","retries":2,"user":"u1"}"#)
        #expect(span.events == #"[{"name":"e"}]"#)

        let numeric = try decodeSpan(#"{"trace_id":"\#(traceHex)","span_id":"00f067aa0ba902b7","name":"n","kind":3,"status":1,"start":1795622400000,"duration":"1.5s","type":"span"}"#).get()
        #expect(numeric.kind == .client)
        #expect(numeric.status == .ok)
        #expect(numeric.durationNanoseconds == 1_500_000_000)
        #expect(numeric.start.nanoseconds == 1_795_622_400_000_000_000)
        #expect(numeric.attributes == "{}")
    }

    @Test("bad spans are rejected naming the field", arguments: [
        (#"{"trace_id":"xyz","span_id":"00f067aa0ba902b7","name":"n","start":1,"duration_ms":1}"#, #"trace_id: "xyz" is not a 32-character hex trace id"#),
        (#"{"trace_id":"\#(traceHex)","span_id":"00f067aa0ba902","name":"n","start":1,"duration_ms":1}"#, #"span_id: "00f067aa0ba902" is not a 16-character hex span id"#),
        (#"{"trace_id":"\#(traceHex)","span_id":"00f067aa0ba902b7","start":1,"duration_ms":1}"#, "name: missing"),
        (#"{"span_id":"00f067aa0ba902b7","name":"n","start":1,"duration_ms":1}"#, "trace_id: missing"),
        (#"{"trace_id":"\#(traceHex)","span_id":"00f067aa0ba902b7","name":"n","duration_ms":1}"#, "start: missing"),
        (#"{"trace_id":"\#(traceHex)","span_id":"00f067aa0ba902b7","name":"n","start":1}"#, "end or duration_ms: missing"),
        (#"{"trace_id":"\#(traceHex)","span_id":"00f067aa0ba902b7","name":"n","start":"2026-11-25T16:00:01Z","end":"2026-11-25T16:00:00Z"}"#, "end: 2026-11-25T16:00:00.000000000Z is before start 2026-11-25T16:00:01.000000000Z"),
        (#"{"trace_id":"\#(traceHex)","span_id":"00f067aa0ba902b7","name":"n","start":1,"duration_ms":1,"kind":"sideways"}"#, #"kind: "sideways" is not a span kind (server, client, internal, producer, consumer)"#),
        (#"{"trace_id":"\#(traceHex)","span_id":"00f067aa0ba902b7","name":"n","start":1,"duration_ms":1,"status":7}"#, "status: 7 is not a span status (ok, error, unset)"),
        (#"{"trace_id":"\#(traceHex)","span_id":"00f067aa0ba902b7","name":"n","start":"9999-01-01T00:00:00Z","duration_ms":1}"#, #"start: "9999-01-01T00:00:00Z" is outside the supported range 1970-01-01T00:00:00Z to 2262-04-11T23:47:16Z"#),
        (#"{"trace_id":"\#(traceHex)","span_id":"00f067aa0ba902b7","name":"n","start":1,"duration_ms":-4}"#, "duration_ms: -4 is not a non-negative duration"),
        (#"{"trace_id":"\#(traceHex)","span_id":"00f067aa0ba902b7","name":"n","start":1,"duration_ms":1,"attributes":[1]}"#, "attributes: expected an object, got an array"),
    ])
    func rejections(line: String, message: String) {
        #expect(spanRejection(line) == message)
    }

    @Test("UDP lines: type span decodes as a span, anything else as a log")
    func routing() throws {
        let bytes = Array(#"{"type":"span","trace_id":"\#(traceHex)","span_id":"00f067aa0ba902b7","name":"n","start":1,"duration_ms":1}"#.utf8)
        let record = try bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(bytes: buffer)
            return try NativeRecord.decode(&scanner, receivedAt: receivedAt, logs: LogRecordDecoder(), spans: SpanRecordDecoder())
        }
        guard case .span(let span) = record else { Issue.record("expected a span"); return }
        #expect(span.name == "n")
    }
}
