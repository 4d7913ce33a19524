/// What role a span played, numbered as OpenTelemetry's `SpanKind`.
public enum SpanKind: Int, Sendable, CaseIterable {
    case unspecified = 0, `internal` = 1, server = 2, client = 3, producer = 4, consumer = 5

    public var name: String {
        switch self {
        case .unspecified: "unspecified"
        case .internal: "internal"
        case .server: "server"
        case .client: "client"
        case .producer: "producer"
        case .consumer: "consumer"
        }
    }

    /// A name as sent (`server`, `SPAN_KIND_SERVER`, any case).
    public init?(name: some StringProtocol) {
        var lowered = name.lowercased()
        if lowered.hasPrefix("span_kind_") { lowered.removeFirst("span_kind_".count) }
        guard let kind = SpanKind.allCases.first(where: { $0.name == lowered }) else { return nil }
        self = kind
    }
}
