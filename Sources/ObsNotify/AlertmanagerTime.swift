import ObsCore

/// Times as Alertmanager and Prometheus write them: Go's `time.RFC3339Nano`, which drops
/// trailing zeros of the fraction (and the dot with them), so a whole second reads
/// `2026-11-25T14:45:18Z` and 1.5 s past it `2026-11-25T14:45:18.5Z`. Receivers written for
/// Alertmanager get byte-for-byte what they already parse.
public enum AlertmanagerTime {
    /// Go's zero `time.Time`: what Alertmanager writes as `endsAt` of an alert still firing.
    public static let zero = "0001-01-01T00:00:00Z"

    /// `zero` for nil, so an unset end reads the way Alertmanager's receivers expect.
    public static func format(_ time: Timestamp?) -> String {
        guard let time else { return zero }
        // Derived from `rfc3339` so both formats share one calendar conversion.
        var text = Array(time.rfc3339.utf8)
        guard let dot = text.firstIndex(of: UInt8(ascii: ".")), text.last == UInt8(ascii: "Z") else {
            return String(decoding: text, as: UTF8.self)
        }
        var end = text.count - 1
        while end > dot + 1, text[end - 1] == UInt8(ascii: "0") { end -= 1 }
        let cut = end == dot + 1 ? dot : end
        text.replaceSubrange(cut..<(text.count - 1), with: [])
        return String(decoding: text, as: UTF8.self)
    }
}
