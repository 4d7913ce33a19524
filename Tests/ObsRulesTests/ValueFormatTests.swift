import ObsRules
import ObsTesting
import Testing

struct FormatCase: Sendable, CustomTestStringConvertible {
    var value: Double
    var unit: ValueUnit
    var expected: String
    init(_ value: Double, _ unit: ValueUnit, _ expected: String) {
        self.value = value
        self.unit = unit
        self.expected = expected
    }
    var testDescription: String { "\(value) \(unit) → \(expected)" }
}

@Suite("ValueFormat")
struct ValueFormatTests {
    @Test("milliseconds pick µs, ms, s, m or h", arguments: [
        FormatCase(0.75, .milliseconds, "750µs"),
        FormatCase(0.0005, .milliseconds, "0.5µs"),
        FormatCase(0.9996, .milliseconds, "1ms"),
        FormatCase(310, .milliseconds, "310ms"),
        FormatCase(12.5, .milliseconds, "12.5ms"),
        FormatCase(1.25, .milliseconds, "1.25ms"),
        FormatCase(1, .milliseconds, "1ms"),
        FormatCase(999.96, .milliseconds, "1s"),
        FormatCase(2310, .milliseconds, "2.31s"),
        FormatCase(2310.456, .milliseconds, "2.31s"),
        FormatCase(2000, .milliseconds, "2s"),
        FormatCase(59_900, .milliseconds, "59.9s"),
        FormatCase(59_990, .milliseconds, "1m"),
        FormatCase(60_000, .milliseconds, "1m"),
        FormatCase(150_000, .milliseconds, "2.5m"),
        FormatCase(5_400_000, .milliseconds, "1.5h"),
        FormatCase(360_000_000, .milliseconds, "100h"),
        FormatCase(-310, .milliseconds, "-310ms"),
        FormatCase(-2310, .milliseconds, "-2.31s"),
        FormatCase(-0.75, .milliseconds, "-750µs"),
        FormatCase(0, .milliseconds, "0ms"),
        FormatCase(-0.0, .milliseconds, "0ms"),
    ])
    func milliseconds(_ row: FormatCase) {
        #expect(ValueFormat.format(row.value, unit: row.unit) == row.expected)
    }

    @Test("ratios print as percentages", arguments: [
        FormatCase(0.0042, .ratio, "0.42%"),
        FormatCase(0.5, .ratio, "50%"),
        FormatCase(1, .ratio, "100%"),
        FormatCase(0.000012, .ratio, "0.0012%"),
        FormatCase(0, .ratio, "0%"),
        FormatCase(0.12345, .ratio, "12.3%"),
        FormatCase(1.5, .ratio, "150%"),
        FormatCase(-0.25, .ratio, "-25%"),
        FormatCase(0.99999, .ratio, "100%"),
    ])
    func ratio(_ row: FormatCase) {
        #expect(ValueFormat.format(row.value, unit: row.unit) == row.expected)
    }

    @Test("rates per second take k/M suffixes", arguments: [
        FormatCase(12.3, .perSecond, "12.3/s"),
        FormatCase(0.5, .perSecond, "0.5/s"),
        FormatCase(1234, .perSecond, "1.23k/s"),
        FormatCase(999.9, .perSecond, "1k/s"),
        FormatCase(2_500_000, .perSecond, "2.5M/s"),
        FormatCase(3e9, .perSecond, "3G/s"),
        FormatCase(-1500, .perSecond, "-1.5k/s"),
        FormatCase(0, .perSecond, "0/s"),
        FormatCase(100, .perSecond, "100/s"),
    ])
    func perSecond(_ row: FormatCase) {
        #expect(ValueFormat.format(row.value, unit: row.unit) == row.expected)
    }

    @Test("counts print integers whole, others with 3 significant digits", arguments: [
        FormatCase(42, .count, "42"),
        FormatCase(1200, .count, "1200"),
        FormatCase(123_456_789, .count, "123456789"),
        FormatCase(0, .count, "0"),
        FormatCase(-7, .count, "-7"),
        FormatCase(3.14159, .count, "3.14"),
        FormatCase(0.5, .count, "0.5"),
        FormatCase(9.996, .count, "10"),
        FormatCase(1234.56, .count, "1235"),
        FormatCase(0.000012, .count, "0.000012"),
        FormatCase(1e-9, .count, "1e-09"),
        FormatCase(1.5e22, .count, "1.5e+22"),
        FormatCase(42, .none, "42"),
        FormatCase(2.5, .none, "2.5"),
        FormatCase(-0.0125, .none, "-0.0125"),
    ])
    func count(_ row: FormatCase) {
        #expect(ValueFormat.format(row.value, unit: row.unit) == row.expected)
    }

    @Test("NaN and infinities print the same in every unit", arguments: [
        ValueUnit.milliseconds, .ratio, .perSecond, .count, .none,
    ])
    func nonFinite(_ unit: ValueUnit) {
        #expect(ValueFormat.format(.nan, unit: unit) == "NaN")
        #expect(ValueFormat.format(.infinity, unit: unit) == "+Inf")
        #expect(ValueFormat.format(-.infinity, unit: unit) == "-Inf")
    }

    @Test("random bit patterns format without crashing")
    func randomDoubles() {
        var random = SplitMix64(seed: 0x5EED)
        let units: [ValueUnit] = [.milliseconds, .ratio, .perSecond, .count, .none]
        var longest = 0
        for _ in 0..<4000 {
            let value = Double(bitPattern: random.next())
            for unit in units {
                let text = ValueFormat.format(value, unit: unit)
                #expect(!text.isEmpty)
                longest = max(longest, text.count)
            }
        }
        // Exponent form from 1e15 up keeps even 1e308 short: at most sign, 15 digits and "E/s".
        #expect(longest <= 19)
    }
}
