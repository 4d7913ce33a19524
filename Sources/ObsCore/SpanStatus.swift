/// A span's outcome, numbered as OpenTelemetry's `Status.StatusCode`.
public enum SpanStatus: Int, Sendable, CaseIterable {
    case unset = 0, ok = 1, error = 2

    public var name: String {
        switch self {
        case .unset: "unset"
        case .ok: "ok"
        case .error: "error"
        }
    }

    /// A name as sent (`error`, `STATUS_CODE_ERROR`, any case).
    public init?(name: some StringProtocol) {
        var lowered = name.lowercased()
        if lowered.hasPrefix("status_code_") { lowered.removeFirst("status_code_".count) }
        guard let status = SpanStatus.allCases.first(where: { $0.name == lowered }) else { return nil }
        self = status
    }
}
