import ObsCore
@testable import ObsIngest
import ObsTesting
import Testing

@Suite("Native log normalization")
struct LogRecordDecoderTests {
    @Test("time aliases", arguments: ["ts", "timestamp", "time", "@timestamp", "TS"])
    func timeAliases(key: String) throws {
        #expect(try record("{\"\(key)\":\"2026-11-25T16:15:38.314Z\"}").time.nanoseconds == 1_795_623_338_314_000_000)
    }

    @Test("epoch numbers, numeric strings and Python logging's form")
    func timeForms() throws {
        #expect(try record(#"{"ts":1795623338}"#).time.nanoseconds == 1_795_623_338_000_000_000)
        #expect(try record(#"{"ts":1795623338314}"#).time.nanoseconds == 1_795_623_338_314_000_000)
        #expect(try record(#"{"ts":1795623338314159}"#).time.nanoseconds == 1_795_623_338_314_159_000)
        #expect(try record(#"{"ts":1795623338314159265}"#).time.nanoseconds == 1_795_623_338_314_159_265)
        #expect(try record(#"{"ts":1795623338.5}"#).time.nanoseconds == 1_795_623_338_500_000_000)
        #expect(try record(#"{"ts":"1795623338"}"#).time.nanoseconds == 1_795_623_338_000_000_000)
        #expect(try record(#"{"asctime":"x","ts":"2026-11-25 16:15:38,314"}"#).time.nanoseconds == 1_795_623_338_314_000_000)
    }

    @Test("a missing time is the time of receipt")
    func missingTime() throws {
        #expect(try record(#"{"msg":"x"}"#).time == receivedAt)
    }

    @Test("bad times are rejected with the field and the reason")
    func badTimes() {
        #expect(rejection(#"{"ts":"0000-01-01T00:00:00Z"}"#) == #"ts: "0000-01-01T00:00:00Z" is outside the supported range 1970-01-01T00:00:00Z to 2262-04-11T23:47:16Z"#)
        #expect(rejection(#"{"time":"9999-12-31T23:59:59Z"}"#) == #"time: "9999-12-31T23:59:59Z" is outside the supported range 1970-01-01T00:00:00Z to 2262-04-11T23:47:16Z"#)
        #expect(rejection(#"{"ts":"soon"}"#) == #"ts: "soon" is not a timestamp (expected RFC 3339, "YYYY-MM-DD HH:MM:SS,fff" or epoch s/ms/µs/ns)"#)
        #expect(rejection(#"{"ts":-1}"#) == "ts: -1 is a negative epoch time")
        #expect(rejection(#"{"ts":1e400}"#) == "ts: 1e400 is outside the supported range 1970-01-01T00:00:00Z to 2262-04-11T23:47:16Z")
        #expect(rejection(#"{"ts":{"seconds":1}}"#) == "ts: expected a time string or epoch number, got an object")
    }

    @Test("service aliases and the unknown default")
    func service() throws {
        #expect(try record(#"{"service":"cart"}"#).service == "cart")
        #expect(try record(#"{"service.name":"cart"}"#).service == "cart")
        #expect(try record(#"{"svc":"cart"}"#).service == "cart")
        #expect(try record(#"{"msg":"x"}"#).service == "unknown")
    }

    @Test("level names and numbers", arguments: [
        (#"{"level":"warning"}"#, 13), (#"{"severity":"ERROR"}"#, 17), (#"{"lvl":"debug"}"#, 5),
        (#"{"level":21}"#, 21), (#"{"level":"10"}"#, 10), (#"{"msg":"no level"}"#, 9), (#"{"level":"critical"}"#, 21),
    ])
    func levels(line: String, number: Int) throws {
        #expect(try record(line).severity.number == number)
    }

    @Test("bad levels are rejected")
    func badLevels() {
        #expect(rejection(#"{"level":"loud"}"#) == #"level: "loud" is not a level (trace, debug, info, warn, error, fatal, or 1–24)"#)
        #expect(rejection(#"{"level":42}"#) == "level: 42 is not an OpenTelemetry severity number (1–24)")
        #expect(rejection(#"{"level":[1]}"#) == "level: expected a level name or number, got an array")
    }

    @Test("message aliases; a structured message is kept as JSON text")
    func message() throws {
        #expect(try record(#"{"msg":"a"}"#).message == "a")
        #expect(try record(#"{"message":"b"}"#).message == "b")
        #expect(try record(#"{"body":"c"}"#).message == "c")
        #expect(try record(#"{"msg":{"k":[1,2]}}"#).message == #"{"k":[1,2]}"#)
        #expect(try record(#"{"msg":"line\nbreak \u00e9 \ud83d\ude00"}"#).message == "line\nbreak é 😀")
    }

    @Test("trace and span ids: hex, lowercased, validated")
    func ids() throws {
        let parsed = try record(#"{"traceId":"4BF92F3577B34DA6A3CE929D0E0E4736","spanId":"00F067AA0BA902B7"}"#)
        #expect(parsed.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(parsed.spanID == "00f067aa0ba902b7")
        #expect(try record(#"{"trace_id":"00000000000000000000000000000000"}"#).traceID == nil)
        #expect(try record(#"{"trace_id":""}"#).traceID == nil)
        #expect(try record(#"{"trace_id":"a3ce929d0e0e4736"}"#).traceID == "a3ce929d0e0e4736")
        #expect(rejection(#"{"trace_id":"xyz"}"#) == #"trace_id: "xyz" is not a 32-character hex trace id"#)
        #expect(rejection(#"{"span_id":"4bf92f3577b34da6a3ce929d0e0e4736"}"#) == #"span_id: "4bf92f3577b34da6a3ce929d0e0e4736" is not a 16-character hex span id"#)
    }

    @Test("durations: numbers are ms, strings may carry units", arguments: [
        (#"{"duration_ms":12.5}"#, 12.5), (#"{"latency_ms":"12.500000"}"#, 12.5), (#"{"duration":250}"#, 250.0),
        (#"{"duration":"250ms"}"#, 250.0), (#"{"duration":"1.2s"}"#, 1200.0), (#"{"duration":"1m30s"}"#, 90_000.0),
        (#"{"duration":"750us"}"#, 0.75),
    ])
    func durations(line: String, milliseconds: Double) throws {
        let parsed = try #require(try record(line).durationMs)
        #expect(abs(parsed - milliseconds) < 1e-9)
    }

    @Test("bad durations are rejected; a non-duration string stays an attribute")
    func badDurations() throws {
        #expect(rejection(#"{"duration_ms":1e999}"#) == "duration_ms: 1e999 is out of range")
        #expect(rejection(#"{"duration_ms":-3}"#) == "duration_ms: -3 is negative")
        #expect(rejection(#"{"latency_ms":"-3"}"#) == #"latency_ms: "-3" is negative"#)
        let kept = try record(#"{"duration":"a while"}"#)
        #expect(kept.durationMs == nil)
        #expect(kept.attributes == #"{"duration":"a while"}"#)
    }

    @Test("status: numbers and numeric strings; application statuses stay attributes")
    func status() throws {
        #expect(try record(#"{"status":503}"#).status == 503)
        #expect(try record(#"{"http.status_code":"404"}"#).status == 404)
        #expect(try record(#"{"status_code":200}"#).status == 200)
        let application = try record(#"{"status":"ok"}"#)
        #expect(application.status == nil)
        #expect(application.attributes == #"{"status":"ok"}"#)
        #expect(rejection(#"{"status":700}"#) == "status: 700 is not an HTTP status code (100–599)")
        #expect(rejection(#"{"status":99999999999999999999999}"#) == "status: 99999999999999999999999 is not an HTTP status code (100–599)")
    }

    @Test("route and method aliases; method is uppercased")
    func routeAndMethod() throws {
        let parsed = try record(#"{"http.route":"/api/cart/{id}","http.method":"get"}"#)
        #expect(parsed.route == "/api/cart/{id}")
        #expect(parsed.method == "GET")
        #expect(try record(#"{"path":"/x"}"#).route == "/x")
        #expect(try record(#"{"route":"/x"}"#).isRequest)
        #expect(try !record(#"{"msg":"x"}"#).isRequest)
    }

    @Test("unknown fields are kept verbatim, nested JSON intact; a second alias is kept too")
    func attributes() throws {
        let parsed = try record(#"{"msg":"m","user":{"id":42,"roles":["a","b"]},"n":1.50,"ok":true,"none":null,"message":"second"}"#)
        #expect(parsed.message == "m")
        #expect(parsed.attributes == #"{"user":{"id":42,"roles":["a","b"]},"n":1.50,"ok":true,"none":null,"message":"second"}"#)
        #expect(try record(#"{"msg":"m"}"#).attributes == "{}")
    }

    @Test("a string type field is reported (UDP routes spans by it) and kept")
    func declaredType() throws {
        let bytes = Array(#"{"type":"span","msg":"x"}"#.utf8)
        let decoded = try bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(bytes: buffer)
            return try LogRecordDecoder().decode(&scanner, receivedAt: receivedAt)
        }
        #expect(decoded.declaredType == "span")
        #expect(decoded.record.attributes == #"{"type":"span"}"#)
    }

    @Test("the syslog-ng fixture: every value a string")
    func syslogNg() throws {
        let outcome = decodeBody(try String(contentsOfFile: Fixtures.path("syslog-ng_http_body.ndjson"), encoding: .utf8))
        #expect(outcome.rejected == 0)
        #expect(outcome.records.map(\.status) == [200, 200, 500])
        #expect(outcome.records.map(\.durationMs) == [12.5, 8.1, 300])
        #expect(outcome.records.map(\.route) == ["/api/pay", "/api/pay", "/api/pay"])
        #expect(outcome.records.allSatisfy { $0.service == "checkout" && $0.severity == .info })
        #expect(outcome.records[0].time.rfc3339 == "2026-11-25T14:52:00.000000000Z")
    }
}
