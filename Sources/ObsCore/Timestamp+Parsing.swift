extension Timestamp {
    /// Parses a textual time: RFC 3339 (`2026-11-25T16:15:38.314Z`, offsets, `t`/space
    /// separator), Python logging's `2026-11-25 16:15:38,314` (no offset means UTC), or an
    /// epoch number written as text (see `init(epochText:)`).
    public static func parse(_ text: String) -> Result<Timestamp, TimestampError> {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    public static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Result<Timestamp, TimestampError> {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == UInt8(ascii: " ") { start += 1 }
        while end > start, bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
        guard start < end else { return .failure(.malformed) }
        let trimmed = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if trimmed.count >= 10, trimmed[4] == UInt8(ascii: "-") {
            return parseCalendar(trimmed)
        }
        return parseEpoch(trimmed)
    }

    /// An epoch number given as JSON number text or a numeric string. Its unit is decided by
    /// magnitude: below 1e11 seconds, below 1e14 milliseconds, below 1e17 microseconds, else
    /// nanoseconds. Integers and plain decimals are converted exactly; exponent forms go
    /// through `Double`.
    public static func parseEpoch(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Timestamp, TimestampError> {
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var integerPart: Int64 = 0
        var integerDigits = 0
        var overflow = false
        while index < bytes.count, let digit = asciiDigit(bytes[index]) {
            let (times10, o1) = integerPart.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(digit))
            overflow = overflow || o1 || o2
            integerPart = sum
            integerDigits += 1
            index += 1
        }
        var fractionDigits: [UInt8] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, let digit = asciiDigit(bytes[index]) {
                fractionDigits.append(digit)
                index += 1
            }
        }
        guard integerDigits + fractionDigits.count > 0 else { return .failure(.malformed) }
        if index < bytes.count {
            guard bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") else {
                return .failure(.malformed)
            }
            guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite else {
                return .failure(bytesLookNumeric(bytes) ? .outOfRange : .malformed)
            }
            return fromEpoch(double: value)
        }
        if negative && (integerPart > 0 || fractionDigits.contains { $0 != 0 }) { return .failure(.negative) }
        if overflow { return .failure(.outOfRange) }
        let scale: Int64  // nanoseconds per unit
        switch integerPart {
        case ..<100_000_000_000: scale = 1_000_000_000
        case ..<100_000_000_000_000: scale = 1_000_000
        case ..<100_000_000_000_000_000: scale = 1_000
        default: scale = 1
        }
        let (whole, o1) = integerPart.multipliedReportingOverflow(by: scale)
        if o1 { return .failure(.outOfRange) }
        var fraction: Int64 = 0
        var place = scale
        for digit in fractionDigits {
            place /= 10
            if place == 0 { break }
            fraction += Int64(digit) * place
        }
        let (total, o2) = whole.addingReportingOverflow(fraction)
        if o2 { return .failure(.outOfRange) }
        return .success(Timestamp(nanoseconds: total))
    }

    /// An epoch number already decoded as a `Double` (exponent forms, JSON numbers).
    public static func fromEpoch(double value: Double) -> Result<Timestamp, TimestampError> {
        guard value.isFinite else { return .failure(.outOfRange) }
        guard value >= 0 else { return .failure(.negative) }
        let nanos: Double
        switch value {
        case ..<1e11: nanos = value * 1e9
        case ..<1e14: nanos = value * 1e6
        case ..<1e17: nanos = value * 1e3
        default: nanos = value
        }
        guard nanos < 9.2e18 else { return .failure(.outOfRange) }
        return .success(Timestamp(nanoseconds: Int64(nanos.rounded())))
    }

    private static func parseCalendar(_ b: UnsafeBufferPointer<UInt8>) -> Result<Timestamp, TimestampError> {
        var index = 0
        func number(_ width: Int) -> Int64? {
            guard index + width <= b.count else { return nil }
            var value: Int64 = 0
            for offset in 0..<width {
                guard let digit = asciiDigit(b[index + offset]) else { return nil }
                value = value * 10 + Int64(digit)
            }
            index += width
            return value
        }
        func expect(_ accepted: Set<UInt8>) -> Bool {
            guard index < b.count, accepted.contains(b[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect([UInt8(ascii: "-")]), let month = number(2),
              expect([UInt8(ascii: "-")]), let day = number(2) else { return .failure(.malformed) }
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0, fraction: Int64 = 0
        var offsetSeconds: Int64 = 0
        if index < b.count {
            guard expect([UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")]),
                  let h = number(2), expect([UInt8(ascii: ":")]), let m = number(2) else { return .failure(.malformed) }
            hour = h
            minute = m
            if index < b.count, b[index] == UInt8(ascii: ":") {
                index += 1
                guard let s = number(2) else { return .failure(.malformed) }
                second = s
                if index < b.count, b[index] == UInt8(ascii: ".") || b[index] == UInt8(ascii: ",") {
                    index += 1
                    var place: Int64 = 100_000_000
                    var digits = 0
                    while index < b.count, let digit = asciiDigit(b[index]) {
                        fraction += Int64(digit) * place
                        place /= 10
                        digits += 1
                        index += 1
                    }
                    guard digits > 0 else { return .failure(.malformed) }
                }
            }
            if index < b.count {
                switch b[index] {
                case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                    index += 1
                case UInt8(ascii: "+"), UInt8(ascii: "-"):
                    let sign: Int64 = b[index] == UInt8(ascii: "-") ? -1 : 1
                    index += 1
                    guard let oh = number(2) else { return .failure(.malformed) }
                    _ = expect([UInt8(ascii: ":")])
                    guard let om = number(2), oh < 24, om < 60 else { return .failure(.malformed) }
                    offsetSeconds = sign * (oh * 3600 + om * 60)
                default:
                    return .failure(.malformed)
                }
            }
            guard index == b.count else { return .failure(.malformed) }
        }
        guard (1...12).contains(month), day >= 1, day <= CivilCalendar.daysInMonth(year: year, month: month),
              hour < 24, minute < 60, second <= 60 else { return .failure(.malformed) }
        // A leap second (:60) is folded into the last nanosecond of its minute.
        let leap = second == 60
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let epochSeconds = days * 86_400 + hour * 3600 + minute * 60 + (leap ? 59 : second) - offsetSeconds
        guard epochSeconds >= 0 else { return .failure(.outOfRange) }
        let (scaled, overflow) = epochSeconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return .failure(.outOfRange) }
        let (total, overflow2) = scaled.addingReportingOverflow(leap ? 999_999_999 : fraction)
        guard !overflow2 else { return .failure(.outOfRange) }
        return .success(Timestamp(nanoseconds: total))
    }

    private static func bytesLookNumeric(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { asciiDigit($0) != nil || "+-.eE".utf8.contains($0) }
    }
}

@inline(__always)
func asciiDigit(_ byte: UInt8) -> UInt8? {
    let digit = byte &- UInt8(ascii: "0")
    return digit < 10 ? digit : nil
}
