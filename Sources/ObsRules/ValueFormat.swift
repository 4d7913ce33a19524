import Foundation

/// Formats sample values for people: three significant digits, trailing zeros
/// trimmed, and a unit picked from what the value measures.
///
/// Integer digits are never rounded away (`1234.56` as a count prints `1235`),
/// and magnitudes below 1e-6 or from 1e15 up print in exponent form (`1e-09`, `1.5e+22`).
public enum ValueFormat {
    public static func format(_ value: Double, unit: ValueUnit) -> String {
        if let special = nonFinite(value) { return special }
        switch unit {
        case .milliseconds: return duration(milliseconds: value)
        case .ratio: return percentage(value)
        case .perSecond: return scaled(value) + "/s"
        case .count, .none: return count(value)
        }
    }

    // MARK: - Pieces shared with template functions

    /// `NaN`, `+Inf` or `-Inf`; nil for finite values.
    static func nonFinite(_ value: Double) -> String? {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        return nil
    }

    /// A ratio as a percentage: 0.0042 → `0.42%`.
    static func percentage(_ ratio: Double) -> String {
        if let special = nonFinite(ratio) { return special }
        return significant(ratio * 100) + "%"
    }

    /// A plain number with k/M/G/T/P/E suffixes from 1000 up: 1234 → `1.23k`.
    static func humanize(_ value: Double) -> String {
        scaled(value)
    }

    /// The shortest decimal that reads back as the same number:
    /// 2310 → `2310`, 0.5 → `0.5`, 2310.456 → `2310.456`.
    static func plain(_ value: Double) -> String {
        if let special = nonFinite(value) { return special }
        if value == 0 { return "0" }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(format: "%.0f", value)
        }
        return "\(value)"
    }

    /// Three significant digits, trailing zeros trimmed.
    static func significant(_ value: Double) -> String {
        if let special = nonFinite(value) { return special }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude < 1e-6 || magnitude >= 1e15 {
            return scientific(value)
        }
        var exponent = Int(log10(magnitude).rounded(.down))
        if pow(10, Double(exponent)) > magnitude {
            exponent -= 1
        } else if pow(10, Double(exponent + 1)) <= magnitude {
            exponent += 1
        }
        var decimals = max(0, 2 - exponent)
        var text = String(format: "%.\(decimals)f", value)
        // 9.996 rounds to "10.00": one digit too many after the point.
        if decimals > 0, let back = Double(text), abs(back) >= pow(10, Double(exponent + 1)) {
            decimals -= 1
            text = String(format: "%.\(decimals)f", value)
        }
        return trimmingZeros(text)
    }

    // MARK: - Private

    private static let suffixes = ["", "k", "M", "G", "T", "P", "E"]

    private static func duration(milliseconds ms: Double) -> String {
        if ms == 0 { return "0ms" }
        let magnitude = abs(ms)
        if magnitude < 1, let text = fitting(ms * 1000, below: 1000) { return text + "µs" }
        if magnitude < 1000, let text = fitting(ms, below: 1000) { return text + "ms" }
        if magnitude < 60_000, let text = fitting(ms / 1000, below: 60) { return text + "s" }
        if magnitude < 3_600_000, let text = fitting(ms / 60_000, below: 60) { return text + "m" }
        return significant(ms / 3_600_000) + "h"
    }

    private static func count(_ value: Double) -> String {
        if value == 0 { return "0" }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(format: "%.0f", value)
        }
        return significant(value)
    }

    /// 1234 → `1.23k`; values that round up to 1000 move to the next suffix.
    private static func scaled(_ value: Double) -> String {
        if let special = nonFinite(value) { return special }
        var scaledValue = value
        for suffix in suffixes.dropLast() {
            if let text = fitting(scaledValue, below: 1000) { return text + suffix }
            scaledValue /= 1000
        }
        return significant(scaledValue) + (suffixes.last ?? "")
    }

    /// The significant-digit text of `value`, unless rounding made it reach `limit`.
    private static func fitting(_ value: Double, below limit: Double) -> String? {
        let text = significant(value)
        guard let back = Double(text), abs(back) < limit else { return nil }
        return text
    }

    private static func scientific(_ value: Double) -> String {
        let text = String(format: "%.2e", value)
        guard let e = text.firstIndex(of: "e") else { return text }
        return trimmingZeros(String(text[..<e])) + String(text[e...])
    }

    private static func trimmingZeros(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var trimmed = Substring(text)
        while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
