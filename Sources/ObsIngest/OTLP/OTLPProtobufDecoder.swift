import Foundation
import ObsCore
import SwiftProtobuf

/// Decodes OTLP/HTTP protobuf export requests (the OpenTelemetry SDKs' default encoding)
/// with the generated messages, into the same fields the JSON decoder fills, so both
/// encodings of the same data give identical spans and logs.
public struct OTLPProtobufDecoder: Sendable {
    public struct Failure: Error, Sendable {
        public var reason: String
    }

    public init() {}

    public func decodeTraces(_ body: Data) throws(Failure) -> OTLPOutcome<TraceSpan> {
        let request: Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest
        do {
            request = try .init(serializedBytes: body, options: Self.options)
        } catch {
            throw Failure(reason: "\(error)")
        }
        var outcome = OTLPOutcome<TraceSpan>()
        for resourceSpans in request.resourceSpans {
            let service = Self.service(resourceSpans.resource)
            for scopeSpans in resourceSpans.scopeSpans {
                for span in scopeSpans.spans {
                    var fields = OTLPSpanFields()
                    fields.traceID = Self.hex(span.traceID)
                    fields.spanID = Self.hex(span.spanID)
                    fields.parentSpanID = Self.hex(span.parentSpanID)
                    fields.name = span.name
                    fields.kindText = String(span.kind.rawValue)
                    fields.kind = SpanKind(rawValue: span.kind.rawValue)
                    fields.start = span.startTimeUnixNano
                    fields.end = span.endTimeUnixNano
                    fields.statusText = String(span.status.code.rawValue)
                    fields.status = SpanStatus(rawValue: span.status.code.rawValue)
                    fields.statusMessage = span.status.message
                    fields.attributes = Self.object(span.attributes)
                    fields.events = "[" + span.events.map {
                        OTLPJSONValue.event(name: $0.name, time: $0.timeUnixNano, attributes: Self.object($0.attributes))
                    }.joined(separator: ",") + "]"
                    fields.links = "[" + span.links.map {
                        OTLPJSONValue.link(traceID: Self.hex($0.traceID), spanID: Self.hex($0.spanID), attributes: Self.object($0.attributes))
                    }.joined(separator: ",") + "]"
                    switch fields.validated(service: service) {
                    case .success(let record): outcome.records.append(record)
                    case .failure(let rejection): outcome.reject(rejection.message)
                    }
                }
            }
        }
        return outcome
    }

    public func decodeLogs(_ body: Data, receivedAt: Timestamp) throws(Failure) -> OTLPOutcome<LogRecord> {
        let request: Opentelemetry_Proto_Collector_Logs_V1_ExportLogsServiceRequest
        do {
            request = try .init(serializedBytes: body, options: Self.options)
        } catch {
            throw Failure(reason: "\(error)")
        }
        var outcome = OTLPOutcome<LogRecord>()
        for resourceLogs in request.resourceLogs {
            let service = Self.service(resourceLogs.resource)
            for scopeLogs in resourceLogs.scopeLogs {
                for log in scopeLogs.logRecords {
                    var fields = OTLPLogFields()
                    fields.time = log.timeUnixNano
                    fields.observedTime = log.observedTimeUnixNano
                    fields.severityNumber = Int(log.severityNumber)
                    fields.severityText = log.severityText
                    if log.hasBody {
                        if case .stringValue(let text) = log.body.value { fields.message = text } else { fields.message = Self.json(log.body) }
                    }
                    fields.traceID = Self.hex(log.traceID)
                    fields.spanID = Self.hex(log.spanID)
                    fields.attributes = Self.object(log.attributes)
                    switch fields.validated(service: service, receivedAt: receivedAt) {
                    case .success(let record): outcome.records.append(record)
                    case .failure(let rejection): outcome.reject(rejection.message)
                    }
                }
            }
        }
        return outcome
    }

    /// Bounds nesting (AnyValue arrays and lists can nest) as the JSON scanner does.
    static var options: BinaryDecodingOptions {
        var options = BinaryDecodingOptions()
        options.messageDepthLimit = JSONScanner.maximumDepth
        return options
    }

    static func hex(_ bytes: Data) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func service(_ resource: Opentelemetry_Proto_Resource_V1_Resource) -> String {
        for attribute in resource.attributes where attribute.key == "service.name" {
            if case .stringValue(let name) = attribute.value.value { return name }
        }
        return LogRecord.unknownService
    }

    /// Attributes as one JSON object, written in a single pass.
    static func object(_ attributes: [Opentelemetry_Proto_Common_V1_KeyValue]) -> String {
        guard !attributes.isEmpty else { return "{}" }
        var writer = JSONWriter(capacity: 48 * attributes.count)
        write(attributes, into: &writer)
        return writer.string
    }

    /// An AnyValue as plain JSON, the same text the JSON decoder writes for it.
    static func json(_ value: Opentelemetry_Proto_Common_V1_AnyValue) -> String {
        var writer = JSONWriter()
        write(value, into: &writer)
        return writer.string
    }

    private static func write(_ attributes: [Opentelemetry_Proto_Common_V1_KeyValue], into writer: inout JSONWriter) {
        writer.beginObject()
        for pair in attributes {
            writer.key(pair.key)
            write(pair.value, into: &writer)
        }
        writer.endObject()
    }

    private static func write(_ value: Opentelemetry_Proto_Common_V1_AnyValue, into writer: inout JSONWriter) {
        switch value.value {
        case .stringValue(let text): writer.string(text)
        case .boolValue(let flag): writer.bool(flag)
        case .intValue(let number): writer.raw(String(number))
        case .doubleValue(let number): writer.double(number)
        case .arrayValue(let array):
            writer.beginArray()
            for element in array.values { write(element, into: &writer) }
            writer.endArray()
        case .kvlistValue(let list):
            if list.values.isEmpty { writer.raw("{}") } else { write(list.values, into: &writer) }
        case .bytesValue(let bytes): writer.string(bytes.base64EncodedString())
        case nil: writer.null()
        }
    }
}
