import Foundation
import ObsCore
@testable import ObsIngest
import ObsTesting
import SwiftProtobuf
import Testing

@Suite("OTLP/protobuf decoding")
struct OTLPProtobufDecoderTests {
    @Test("the OpenTelemetry SDK's protobuf exports")
    func fixtures() throws {
        let traces = try OTLPProtobufDecoder().decodeTraces(Fixtures.data("otlp_traces.bin"))
        #expect(traces.rejected == 0)
        #expect(traces.records.count == 3)
        #expect(traces.records.allSatisfy { $0.service == "checkout" && $0.traceID.count == 32 })
        let root = try #require(traces.records.first { $0.parentSpanID == nil })
        #expect(root.kind == .server)
        #expect(traces.records.filter { $0.status == .error }.count >= 1)
        let logs = try OTLPProtobufDecoder().decodeLogs(Fixtures.data("otlp_logs.bin"), receivedAt: receivedAt)
        #expect(logs.records.map(\.message) == ["payment started", "slow upstream", "payment failed"])
        #expect(logs.records.map(\.severity.name) == ["info", "warn", "error"])
    }

    @Test("protobuf that is not an export request is an error, not a crash")
    func garbage() {
        #expect(throws: OTLPProtobufDecoder.Failure.self) { try OTLPProtobufDecoder().decodeTraces(Data([0xFF, 0xFF, 0xFF, 0x01])) }
    }

    @Test("both encodings of the same data decode to identical spans and logs")
    func sameData() throws {
        func kv(_ key: String, _ value: Opentelemetry_Proto_Common_V1_AnyValue.OneOf_Value) -> Opentelemetry_Proto_Common_V1_KeyValue {
            var pair = Opentelemetry_Proto_Common_V1_KeyValue()
            pair.key = key
            pair.value.value = value
            return pair
        }
        var inner = Opentelemetry_Proto_Common_V1_AnyValue()
        inner.value = .stringValue("x")
        var list = Opentelemetry_Proto_Common_V1_KeyValueList()
        list.values = [kv("nested", .intValue(-7))]
        var array = Opentelemetry_Proto_Common_V1_ArrayValue()
        array.values = [inner]
        let attributes = [
            kv("s", .stringValue("text \"quoted\"")), kv("b", .boolValue(true)), kv("i", .intValue(9_007_199_254_740_993)),
            kv("d", .doubleValue(12.5)), kv("whole", .doubleValue(3)), kv("a", .arrayValue(array)), kv("kv", .kvlistValue(list)),
            kv("bytes", .bytesValue(Data([1, 2, 255]))),
        ]
        var span = Opentelemetry_Proto_Trace_V1_Span()
        span.traceID = Data((0..<16).map { UInt8($0 + 1) })
        span.spanID = Data((0..<8).map { UInt8($0 + 0xA0) })
        span.parentSpanID = Data((0..<8).map { UInt8($0 + 0xB0) })
        span.name = "GET /x"
        span.kind = .client
        span.startTimeUnixNano = 1_795_618_230_637_054_537
        span.endTimeUnixNano = 1_795_618_230_656_556_255
        span.attributes = attributes
        var event = Opentelemetry_Proto_Trace_V1_Span.Event()
        event.name = "retry"
        event.timeUnixNano = 1_795_618_230_640_000_000
        event.attributes = [kv("n", .intValue(2))]
        span.events = [event]
        var link = Opentelemetry_Proto_Trace_V1_Span.Link()
        link.traceID = Data((0..<16).map { UInt8(0xF0 - $0) })
        link.spanID = Data((0..<8).map { UInt8($0 + 0xC0) })
        link.attributes = [kv("reason", .stringValue("batch"))]
        span.links = [link]
        span.status.code = .error
        span.status.message = "boom"
        var request = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest()
        var resourceSpans = Opentelemetry_Proto_Trace_V1_ResourceSpans()
        resourceSpans.resource.attributes = [kv("service.name", .stringValue("cart"))]
        var scope = Opentelemetry_Proto_Trace_V1_ScopeSpans()
        scope.spans = [span]
        resourceSpans.scopeSpans = [scope]
        request.resourceSpans = [resourceSpans]

        let attributesJSON = """
            [{"key":"s","value":{"stringValue":"text \\"quoted\\""}},{"key":"b","value":{"boolValue":true}},
             {"key":"i","value":{"intValue":"9007199254740993"}},{"key":"d","value":{"doubleValue":12.5}},
             {"key":"whole","value":{"doubleValue":3.0}},{"key":"a","value":{"arrayValue":{"values":[{"stringValue":"x"}]}}},
             {"key":"kv","value":{"kvlistValue":{"values":[{"key":"nested","value":{"intValue":-7}}]}}},
             {"key":"bytes","value":{"bytesValue":"AQL/"}}]
            """
        let json = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"cart"}}]},
             "scopeSpans":[{"scope":{"name":"s"},"spans":[{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"a0a1a2a3a4a5a6a7",
             "parentSpanId":"b0b1b2b3b4b5b6b7","name":"GET /x","kind":3,"startTimeUnixNano":"1795618230637054537",
             "endTimeUnixNano":1795618230656556255,"attributes":\(attributesJSON),
             "events":[{"timeUnixNano":"1795618230640000000","name":"retry","attributes":[{"key":"n","value":{"intValue":"2"}}]}],
             "links":[{"traceId":"F0EFEEEDECEBEAE9E8E7E6E5E4E3E2E1","spanId":"c0c1c2c3c4c5c6c7","attributes":[{"key":"reason","value":{"stringValue":"batch"}}]}],
             "status":{"code":2,"message":"boom"}}]}]}]}
            """
        let fromProtobuf = try OTLPProtobufDecoder().decodeTraces(Data(try request.serializedBytes() as [UInt8]))
        let fromJSON = try Array(json.utf8).withUnsafeBufferPointer { try OTLPJSONDecoder().decodeTraces($0) }
        #expect(fromProtobuf.rejected == 0 && fromJSON.rejected == 0)
        #expect(fromProtobuf.records == fromJSON.records)
        let decoded = try #require(fromJSON.records.first)
        #expect(decoded.links == #"[{"trace_id":"f0efeeedecebeae9e8e7e6e5e4e3e2e1","span_id":"c0c1c2c3c4c5c6c7","attributes":{"reason":"batch"}}]"#)
        #expect(decoded.attributes == #"{"s":"text \"quoted\"","b":true,"i":9007199254740993,"d":12.5,"whole":3,"a":["x"],"kv":{"nested":-7},"bytes":"AQL/"}"#)

        var log = Opentelemetry_Proto_Logs_V1_LogRecord()
        log.timeUnixNano = 1_795_618_230_664_651_520
        log.severityNumber = 17
        log.severityText = "ERROR"
        log.body.value = .stringValue("payment failed")
        log.traceID = span.traceID
        log.spanID = span.spanID
        log.attributes = attributes
        var logsRequest = Opentelemetry_Proto_Collector_Logs_V1_ExportLogsServiceRequest()
        var resourceLogs = Opentelemetry_Proto_Logs_V1_ResourceLogs()
        resourceLogs.resource.attributes = [kv("service.name", .stringValue("cart"))]
        var scopeLogs = Opentelemetry_Proto_Logs_V1_ScopeLogs()
        scopeLogs.logRecords = [log]
        resourceLogs.scopeLogs = [scopeLogs]
        logsRequest.resourceLogs = [resourceLogs]
        let logsJSON = """
            {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"cart"}}]},"scopeLogs":[{"logRecords":[
             {"timeUnixNano":"1795618230664651520","severityNumber":17,"severityText":"ERROR","body":{"stringValue":"payment failed"},
              "traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"a0a1a2a3a4a5a6a7","attributes":\(attributesJSON)}]}]}]}
            """
        let logsFromProtobuf = try OTLPProtobufDecoder().decodeLogs(Data(try logsRequest.serializedBytes() as [UInt8]), receivedAt: receivedAt)
        let logsFromJSON = try Array(logsJSON.utf8).withUnsafeBufferPointer { try OTLPJSONDecoder().decodeLogs($0, receivedAt: receivedAt) }
        #expect(logsFromProtobuf.records == logsFromJSON.records)
        #expect(logsFromJSON.records.first?.traceID == "0102030405060708090a0b0c0d0e0f10")
        #expect(logsFromJSON.records.first?.severity == .error)
    }
}
