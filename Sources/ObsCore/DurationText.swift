/// Durations written the way people and loggers write them: `250ms`, `1.2s`, `1m30s`, `7d`,
/// `500us`/`500µs`, `100ns`, or a bare number in a caller-chosen default unit.
public enum DurationText {
    public enum Unit: Sendable {
        case nanoseconds, microseconds, milliseconds, seconds, minutes, hours, days

        var nanoseconds: Double {
            switch self {
            case .nanoseconds: 1
            case .microseconds: 1e3
            case .milliseconds: 1e6
            case .seconds: 1e9
            case .minutes: 60e9
            case .hours: 3600e9
            case .days: 86_400e9
            }
        }
    }

    /// The duration in nanoseconds, or nil when the text is not a non-negative duration.
    /// `defaultUnit` applies to a bare number; pass nil to require a unit.
    public static func nanoseconds(_ text: some StringProtocol, defaultUnit: Unit?) -> Double? {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func skipSpaces() { while index < scalars.count, scalars[index] == " " { index += 1 } }
        skipSpaces()
        var total = 0.0
        var parts = 0
        while index < scalars.count {
            let numberStart = index
            while index < scalars.count, scalars[index].properties.numericType != nil || scalars[index] == "." {
                guard scalars[index].isASCII else { return nil }
                index += 1
            }
            if index < scalars.count, scalars[index] == "e" || scalars[index] == "E",
               index + 1 < scalars.count, scalars[index + 1].isASCII,
               scalars[index + 1].properties.numericType != nil || scalars[index + 1] == "-" || scalars[index + 1] == "+" {
                index += 2
                while index < scalars.count, scalars[index].isASCII, scalars[index].properties.numericType != nil { index += 1 }
            }
            guard index > numberStart, let value = Double(String(String.UnicodeScalarView(scalars[numberStart..<index]))),
                  value.isFinite, value >= 0 else { return nil }
            skipSpaces()
            let unitStart = index
            while index < scalars.count, scalars[index].properties.isAlphabetic { index += 1 }
            let unitText = String(String.UnicodeScalarView(scalars[unitStart..<index]))
            let unit: Unit
            if unitText.isEmpty {
                guard parts == 0, let defaultUnit else { return nil }
                unit = defaultUnit
            } else {
                guard let parsed = Self.unit(named: unitText) else { return nil }
                unit = parsed
            }
            total += value * unit.nanoseconds
            parts += 1
            skipSpaces()
            if unitText.isEmpty, index < scalars.count { return nil }
        }
        guard parts > 0, total.isFinite else { return nil }
        return total
    }

    static func unit(named name: String) -> Unit? {
        switch name {
        case "ns": .nanoseconds
        case "us", "µs", "μs": .microseconds
        case "ms": .milliseconds
        case "s", "sec": .seconds
        case "m", "min": .minutes
        case "h": .hours
        case "d": .days
        default: nil
        }
    }

    /// A config or query duration such as `7d` or `30s`: a unit is required.
    public static func duration(_ text: some StringProtocol) -> Duration? {
        guard let nanos = nanoseconds(text, defaultUnit: nil), nanos < 9.2e18 else { return nil }
        return .nanoseconds(Int64(nanos.rounded()))
    }
}

extension Duration {
    public var totalNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

extension DurationText {
    /// The shortest text `duration(_:)` reads back: `250ms`, `5s`, `1m30s`, `2h`, `1d12h`.
    /// Below a second, whole milliseconds.
    public static func text(_ duration: Duration) -> String {
        let nanoseconds = duration.totalNanoseconds
        if nanoseconds < 0 { return "-" + text(.nanoseconds(-nanoseconds)) }
        if nanoseconds < 1_000_000_000 { return "\(nanoseconds / 1_000_000)ms" }
        var seconds = nanoseconds / 1_000_000_000
        var text = ""
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60)] where seconds >= size {
            text += "\(seconds / size)\(unit)"
            seconds %= size
        }
        if seconds > 0 || text.isEmpty { text += "\(seconds)s" }
        return text
    }
}
