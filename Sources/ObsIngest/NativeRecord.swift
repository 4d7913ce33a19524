import ObsCore

/// A line of a UDP datagram: a log, or a span when it says `"type":"span"`.
public enum NativeRecord: Sendable {
    case log(LogRecord)
    case span(TraceSpan)

    /// Decodes one object as a log, or — when its `type` is `span` — again as a span.
    public static func decode(
        _ scanner: inout JSONScanner, receivedAt: Timestamp, logs: LogRecordDecoder, spans: SpanRecordDecoder
    ) throws(RecordError) -> NativeRecord {
        let start = scanner.index
        let decoded = try logs.decode(&scanner, receivedAt: receivedAt)
        guard decoded.declaredType == "span" else { return .log(decoded.record) }
        scanner.index = start
        return .span(try spans.decode(&scanner))
    }
}
