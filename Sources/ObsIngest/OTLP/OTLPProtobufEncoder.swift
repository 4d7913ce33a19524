import Foundation
import ObsCore
import SwiftProtobuf

/// The protobuf answers of the OTLP receiver, encoded with the generated messages.
public enum OTLPProtobufEncoder {
    public enum Signal: Sendable {
        case traces, logs
    }

    /// An empty `ExportTraceServiceResponse` / `ExportLogsServiceResponse`: zero bytes.
    public static let emptyExportResponse: [UInt8] = []

    public static func partialSuccess(_ signal: Signal, rejected: Int, message: String) -> [UInt8] {
        switch signal {
        case .traces:
            var response = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse()
            response.partialSuccess.rejectedSpans = Int64(rejected)
            response.partialSuccess.errorMessage = message
            return (try? response.serializedBytes()) ?? []
        case .logs:
            var response = Opentelemetry_Proto_Collector_Logs_V1_ExportLogsServiceResponse()
            response.partialSuccess.rejectedLogRecords = Int64(rejected)
            response.partialSuccess.errorMessage = message
            return (try? response.serializedBytes()) ?? []
        }
    }

    /// An `ExportTraceServiceRequest` carrying `spans` (one resource per service), as an SDK
    /// would send them; for benchmarks and tests. Attributes must be a flat JSON object of
    /// strings, numbers and booleans (nested values are left out).
    public static func exportRequest(_ spans: [TraceSpan]) -> [UInt8] {
        var request = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest()
        var byService: [String: [Opentelemetry_Proto_Trace_V1_Span]] = [:]
        for span in spans {
            var message = Opentelemetry_Proto_Trace_V1_Span()
            message.traceID = bytes(hex: span.traceID)
            message.spanID = bytes(hex: span.spanID)
            if let parent = span.parentSpanID { message.parentSpanID = bytes(hex: parent) }
            message.name = span.name
            message.kind = Opentelemetry_Proto_Trace_V1_Span.SpanKind(rawValue: span.kind.rawValue) ?? .unspecified
            message.startTimeUnixNano = UInt64(span.start.nanoseconds)
            message.endTimeUnixNano = UInt64(span.start.nanoseconds + span.durationNanoseconds)
            message.status.code = Opentelemetry_Proto_Trace_V1_Status.StatusCode(rawValue: span.status.rawValue) ?? .unset
            message.status.message = span.statusMessage ?? ""
            message.attributes = keyValues(span.attributes)
            byService[span.service, default: []].append(message)
        }
        for (service, messages) in byService.sorted(by: { $0.key < $1.key }) {
            var resourceSpans = Opentelemetry_Proto_Trace_V1_ResourceSpans()
            var name = Opentelemetry_Proto_Common_V1_KeyValue()
            name.key = "service.name"
            name.value.stringValue = service
            resourceSpans.resource.attributes = [name]
            var scope = Opentelemetry_Proto_Trace_V1_ScopeSpans()
            scope.spans = messages
            resourceSpans.scopeSpans = [scope]
            request.resourceSpans.append(resourceSpans)
        }
        return (try? request.serializedBytes()) ?? []
    }

    /// A flat JSON object of strings, numbers and booleans as OTLP key/values.
    private static func keyValues(_ json: String) -> [Opentelemetry_Proto_Common_V1_KeyValue] {
        var pairs: [Opentelemetry_Proto_Common_V1_KeyValue] = []
        let bytes = Array(json.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(bytes: buffer)
            try? scanner.forEachMember { (s: inout JSONScanner, key: String, _: Range<Int>) throws(JSONSyntaxError) in
                var pair = Opentelemetry_Proto_Common_V1_KeyValue()
                pair.key = key
                switch try s.peekKind() {
                case .string: pair.value.stringValue = try s.readString()
                case .bool: pair.value.boolValue = try s.readBool()
                case .number:
                    let text = s.text(try s.readNumber())
                    if let integer = Int64(text) { pair.value.intValue = integer } else { pair.value.doubleValue = Double(text) ?? 0 }
                default:
                    try s.skipValue(depth: 2)
                    return
                }
                pairs.append(pair)
            }
        }
        return pairs
    }

    private static func bytes(hex: String) -> Data {
        var data = Data()
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            data.append(UInt8((hexValue(high) ?? 0) << 4 | (hexValue(low) ?? 0)))
        }
        return data
    }

    public static func status(code: Int, message: String) -> [UInt8] {
        var status = Google_Rpc_Status()
        status.code = Int32(code)
        status.message = message
        return (try? status.serializedBytes()) ?? []
    }
}
