import ObsCore
import Testing

@Suite("Timestamp parsing and formatting")
struct TimestampTests {
    func nanos(_ text: String) -> Int64? {
        try? Timestamp.parse(text).get().nanoseconds
    }

    @Test("RFC 3339 forms", arguments: [
        ("2026-11-25T16:15:38Z", Int64(1_795_623_338_000_000_000)),
        ("2026-11-25T16:15:38.314Z", 1_795_623_338_314_000_000),
        ("2026-11-25T16:15:38.123456789Z", 1_795_623_338_123_456_789),
        ("2026-11-25T16:15:38.1234567891Z", 1_795_623_338_123_456_789),
        ("2026-11-25t16:15:38z", 1_795_623_338_000_000_000),
        ("2026-11-25T17:15:38+01:00", 1_795_623_338_000_000_000),
        ("2026-11-25T11:15:38-0500", 1_795_623_338_000_000_000),
        ("2026-11-25 16:15:38,314", 1_795_623_338_314_000_000),
        ("2026-11-25 16:15:38", 1_795_623_338_000_000_000),
        ("2026-11-25T16:15", 1_795_623_300_000_000_000),
        ("2026-11-25", 1_795_564_800_000_000_000),
        ("1970-01-01T00:00:00Z", 0),
        ("2016-12-31T23:59:60Z", 1_483_228_799_999_999_999),
    ])
    func calendarForms(text: String, expected: Int64) {
        #expect(nanos(text) == expected)
    }

    @Test("epoch numbers by magnitude, exact for integers", arguments: [
        ("1764087338", Int64(1_764_087_338_000_000_000)),
        ("1764087338.314", 1_764_087_338_314_000_000),
        ("1764087338314", 1_764_087_338_314_000_000),
        ("1764087338314159", 1_764_087_338_314_159_000),
        ("1764087338314159265", 1_764_087_338_314_159_265),
        ("1.764087338e9", 1_764_087_338_000_000_000),
        ("0", 0),
    ])
    func epochForms(text: String, expected: Int64) {
        #expect(nanos(text) == expected)
    }

    @Test("bad times say why", arguments: [
        ("0000-01-01T00:00:00Z", TimestampError.outOfRange),
        ("9999-12-31T23:59:59Z", .outOfRange),
        ("1969-12-31T23:59:59Z", .outOfRange),
        ("2262-04-12T00:00:00Z", .outOfRange),
        ("1e30", .outOfRange),
        ("99999999999999999999", .outOfRange),
        ("-5", .negative),
        ("yesterday", .malformed),
        ("2026-13-01T00:00:00Z", .malformed),
        ("2026-02-30T00:00:00Z", .malformed),
        ("2026-11-25T25:00:00Z", .malformed),
        ("2026-11-25T16:15:38+25:00", .malformed),
        ("2026-11-25T16:15:38Zjunk", .malformed),
        ("", .malformed),
    ])
    func errors(text: String, expected: TimestampError) {
        #expect(throws: expected) { try Timestamp.parse(text).get() }
    }

    @Test("formatting is RFC 3339 UTC with nine fractional digits and round-trips")
    func formatting() throws {
        let time = Timestamp(nanoseconds: 1_764_087_338_000_000_042)
        #expect(time.rfc3339 == "2025-11-25T16:15:38.000000042Z")
        #expect(try Timestamp.parse(time.rfc3339).get() == time)
        #expect(Timestamp(nanoseconds: 0).rfc3339 == "1970-01-01T00:00:00.000000000Z")
        #expect(Timestamp.latest.rfc3339 == "2262-04-11T23:47:16.854775807Z")
        for days in stride(from: 0, to: 100_000, by: 997) {
            let sample = Timestamp(nanoseconds: Int64(days) * 86_400_000_000_000 + 12_345)
            #expect(try Timestamp.parse(sample.rfc3339).get() == sample)
        }
    }

    @Test("query times: relative durations, now, RFC 3339, epoch seconds")
    func queryTimes() {
        let now = Timestamp(nanoseconds: 1_764_087_338_000_000_000)
        #expect(Timestamp.parseQueryTime("15m", now: now) == Timestamp(nanoseconds: now.nanoseconds - 900_000_000_000))
        #expect(Timestamp.parseQueryTime("now", now: now) == now)
        #expect(Timestamp.parseQueryTime("1764087338", now: now) == now)
        #expect(Timestamp.parseQueryTime("2025-11-25T16:15:38Z", now: now) == now)
        #expect(Timestamp.parseQueryTime("last tuesday", now: now) == nil)
    }
}

@Suite("Severity")
struct SeverityTests {
    @Test("names, aliases and OpenTelemetry numbers", arguments: [
        ("trace", 1), ("DEBUG", 5), ("info", 9), ("notice", 9), ("warn", 13), ("Warning", 13),
        ("error", 17), ("err", 17), ("fatal", 21), ("critical", 21), ("INFO2", 10), ("ERROR4", 20),
    ])
    func names(name: String, number: Int) {
        #expect(Severity(name: name)?.number == number)
    }

    @Test("each number maps to the name of its range")
    func rangeNames() {
        #expect(Severity(number: 1)?.name == "trace")
        #expect(Severity(number: 8)?.name == "debug")
        #expect(Severity(number: 12)?.name == "info")
        #expect(Severity(number: 16)?.name == "warn")
        #expect(Severity(number: 17)?.name == "error")
        #expect(Severity(number: 24)?.name == "fatal")
        #expect(Severity(number: 0) == nil)
        #expect(Severity(number: 25) == nil)
        #expect(Severity(name: "verbose-ish") == nil)
    }
}

@Suite("Durations and sizes")
struct DurationAndSizeTests {
    @Test("durations with units", arguments: [
        ("250ms", 250e6), ("1.2s", 1.2e9), ("1m30s", 90e9), ("7d", 604_800e9), ("500us", 500e3),
        ("500µs", 500e3), ("100ns", 100), ("2h", 7200e9), (" 3 s ", 3e9), ("1e3ms", 1e9),
    ])
    func withUnits(text: String, nanoseconds: Double) throws {
        let parsed = try #require(DurationText.nanoseconds(text, defaultUnit: nil))
        #expect(abs(parsed - nanoseconds) < 1e-3 * max(1, nanoseconds))
    }

    @Test("bare numbers take the default unit; invalid text is nil")
    func bareAndInvalid() {
        #expect(DurationText.nanoseconds("12.5", defaultUnit: .milliseconds) == 12.5e6)
        #expect(DurationText.nanoseconds("12.5", defaultUnit: nil) == nil)
        #expect(DurationText.nanoseconds("-5ms", defaultUnit: nil) == nil)
        #expect(DurationText.nanoseconds("5 parsecs", defaultUnit: nil) == nil)
        #expect(DurationText.nanoseconds("", defaultUnit: .milliseconds) == nil)
        #expect(DurationText.nanoseconds("fast", defaultUnit: .milliseconds) == nil)
        #expect(DurationText.duration("7d") == .seconds(604_800))
    }

    @Test("sizes", arguments: [
        ("8MiB", 8_388_608), ("512KiB", 524_288), ("1GB", 1_000_000_000), ("64k", 65_536), ("1048576", 1_048_576), ("2 MB", 2_000_000),
    ])
    func sizes(text: String, bytes: Int) {
        #expect(ByteSize.bytes(text) == bytes)
    }

    @Test("invalid sizes")
    func invalidSizes() {
        #expect(ByteSize.bytes("8XB") == nil)
        #expect(ByteSize.bytes("lots") == nil)
        #expect(ByteSize.bytes("-1MiB") == nil)
    }
}

@Suite("JSON output")
struct JSONWriterTests {
    @Test("escapes strings and embeds raw JSON")
    func escaping() {
        var json = JSONWriter()
        json.beginObject()
        json.key("text"); json.string("quote \" backslash \\ newline \n tab \t bell \u{07} é")
        json.key("raw"); json.raw("{\"a\":[1,2]}")
        json.key("number"); json.double(250)
        json.key("fraction"); json.double(12.5)
        json.key("nothing"); json.null()
        json.key("list"); json.beginArray(); json.int(1); json.bool(true); json.endArray()
        json.endObject()
        #expect(json.string == #"{"text":"quote \" backslash \\ newline \n tab \t bell \u0007 é","raw":{"a":[1,2]},"number":250,"fraction":12.5,"nothing":null,"list":[1,true]}"#)
    }

    @Test("a log record in the API shape: request fields only when present")
    func logRecord() {
        var json = JSONWriter()
        LogRecord(time: Timestamp(nanoseconds: 1_000_000_000), service: "cart", severity: .warn, message: "m",
                  status: 200, attributes: "{\"k\":1}").write(to: &json)
        #expect(json.string == #"{"time":"1970-01-01T00:00:01.000000000Z","service":"cart","level":"warn","severity":13,"message":"m","trace_id":null,"span_id":null,"status":200,"attributes":{"k":1}}"#)
    }
}

@Suite("Rounding to bucket boundaries")
struct BucketRoundingTests {
    @Test("floors and ceilings to multiples, negatives included")
    func multiples() {
        #expect(Int64(25).roundedDown(toMultipleOf: 10) == 20)
        #expect(Int64(-25).roundedDown(toMultipleOf: 10) == -30)
        #expect(Int64(-20).roundedDown(toMultipleOf: 10) == -20)
        #expect(Int64(21).roundedUp(toMultipleOf: 10) == 30)
        #expect(Int64(-21).roundedUp(toMultipleOf: 10) == -20)
        #expect(Int64(30).roundedUp(toMultipleOf: 10) == 30)
    }

    @Test("an instant's unix seconds, down and up")
    func seconds() {
        #expect(Timestamp(nanoseconds: 1_500_000_000).unixSecondsRoundedDown == 1)
        #expect(Timestamp(nanoseconds: 1_500_000_000).unixSecondsRoundedUp == 2)
        #expect(Timestamp(nanoseconds: 2_000_000_000).unixSecondsRoundedUp == 2)
        #expect(Timestamp(nanoseconds: -1).unixSecondsRoundedDown == -1)
    }
}
