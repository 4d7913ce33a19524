import ObsCore
import ObsNotify
import Testing

@Suite("Alertmanager time format")
struct AlertmanagerTimeTests {
    @Test("Go's RFC3339Nano: trailing zeros of the fraction dropped", arguments: [
        (Int64(1_795_617_918_000_000_000), "2026-11-25T14:45:18Z"),
        (1_795_617_918_500_000_000, "2026-11-25T14:45:18.5Z"),
        (1_795_617_918_120_000_000, "2026-11-25T14:45:18.12Z"),
        (1_795_617_918_000_000_001, "2026-11-25T14:45:18.000000001Z"),
        (1_795_617_918_123_456_789, "2026-11-25T14:45:18.123456789Z"),
        (0, "1970-01-01T00:00:00Z"),
    ])
    func format(nanoseconds: Int64, expected: String) {
        #expect(AlertmanagerTime.format(Timestamp(nanoseconds: nanoseconds)) == expected)
    }

    @Test("no time is Go's zero time")
    func zero() {
        #expect(AlertmanagerTime.format(nil) == "0001-01-01T00:00:00Z")
    }
}
