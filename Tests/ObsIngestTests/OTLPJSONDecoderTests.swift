import Foundation
import ObsCore
import ObsIngest
import ObsTesting
import Testing

@Suite("OTLP/JSON decoding")
struct OTLPJSONDecoderTests {
    func traces(_ data: Data) throws -> OTLPOutcome<TraceSpan> {
        try Array(data).withUnsafeBufferPointer { try OTLPJSONDecoder().decodeTraces($0) }
    }

    func logs(_ data: Data) throws -> OTLPOutcome<LogRecord> {
        try Array(data).withUnsafeBufferPointer { try OTLPJSONDecoder().decodeLogs($0, receivedAt: receivedAt) }
    }

    @Test("the OpenTelemetry SDK's trace export: ids, kinds, times, status, typed attributes, events")
    func traceFixture() throws {
        let outcome = try traces(Fixtures.data("otlp_traces.json"))
        #expect(outcome.rejected == 0)
        let byName = Dictionary(uniqueKeysWithValues: outcome.records.map { ($0.name, $0) })
        let root = try #require(byName["POST /api/pay"])
        #expect(root.traceID == "77cd07c04d3f125387dec958d702c1cc")
        #expect(root.spanID == "7bd9f72d762de2b2")
        #expect(root.parentSpanID == nil)
        #expect(root.service == "checkout")
        #expect(root.kind == .server)
        #expect(root.status == .error)
        #expect(root.start.nanoseconds == 1_795_618_230_637_054_537)
        #expect(root.durationNanoseconds == 1_795_618_230_656_556_255 - 1_795_618_230_637_054_537)
        let charge = try #require(byName["charge-card"])
        #expect(charge.parentSpanID == "7bd9f72d762de2b2")
        #expect(charge.kind == .client)
        #expect(charge.statusMessage == "payment gateway 502")
        let attributes = try #require(try JSONSerialization.jsonObject(with: Data(charge.attributes.utf8)) as? [String: Any])
        #expect(attributes["http.status_code"] as? Int == 502)
        #expect(attributes["amount"] as? Double == 12.5)
        #expect(attributes["tags"] as? [String] == ["a", "b"])
        let events = try #require(try JSONSerialization.jsonObject(with: Data(charge.events.utf8)) as? [[String: Any]])
        #expect(events.map { $0["name"] as? String } == ["card declined", "exception"])
        #expect((events[0]["attributes"] as? [String: Any])?["reason"] as? String == "upstream 502")
    }

    @Test("the SDK's log export: severity, body, attributes, service")
    func logFixture() throws {
        let outcome = try logs(Fixtures.data("otlp_logs.json"))
        #expect(outcome.rejected == 0)
        #expect(outcome.records.map(\.message) == ["payment started", "slow upstream", "payment failed"])
        #expect(outcome.records.map(\.severity.name) == ["info", "warn", "error"])
        #expect(outcome.records.allSatisfy { $0.service == "checkout" })
        #expect(outcome.records[0].time.nanoseconds == 1_795_618_230_664_651_520)
        let attributes = try #require(try JSONSerialization.jsonObject(with: Data(outcome.records[0].attributes.utf8)) as? [String: Any])
        #expect(attributes["user_id"] as? Int == 42)
    }

    @Test("invalid spans are rejected alone, naming the span and the field")
    func partial() throws {
        let body = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"cart"}}]},"scopeSpans":[{"spans":[
              {"traceId":"77cd07c04d3f125387dec958d702c1cc","spanId":"37e49322c446c8b8","name":"ok","kind":2,"startTimeUnixNano":"1795618230637147331","endTimeUnixNano":1795618230647334854},
              {"traceId":"zz","spanId":"37e49322c446c8b8","name":"bad id","startTimeUnixNano":"1","endTimeUnixNano":"2"},
              {"traceId":"77cd07c04d3f125387dec958d702c1cc","spanId":"37e49322c446c8b9","name":"backwards","startTimeUnixNano":"5","endTimeUnixNano":"2"},
              {"traceId":"77cd07c04d3f125387dec958d702c1cc","spanId":"37e49322c446c8ba","name":"odd kind","kind":9,"startTimeUnixNano":"1","endTimeUnixNano":"2"}
            ]}]}]}
            """
        let outcome = try traces(Data(body.utf8))
        #expect(outcome.records.map(\.name) == ["ok"])
        #expect(outcome.records.first?.service == "cart")
        #expect(outcome.errors == [
            "span 37e49322c446c8b8 (\"bad id\"): traceId \"zz\" is not 32 hex characters",
            "span 37e49322c446c8b9 (\"backwards\"): endTimeUnixNano is before startTimeUnixNano",
            "span 37e49322c446c8ba (\"odd kind\"): kind: 9 is not a span kind (0–5)",
        ])
    }

    @Test("a request that is not OTLP JSON throws; an empty one is no records")
    func undecodable() throws {
        #expect(throws: JSONSyntaxError.self) { try traces(Data("[1,2]".utf8)) }
        #expect(throws: JSONSyntaxError.self) { try traces(Data(#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":}]}]}]}"#.utf8)) }
        #expect(try traces(Data(#"{"resourceSpans":[]}"#.utf8)).records.isEmpty)
    }
}
