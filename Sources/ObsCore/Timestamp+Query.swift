import Foundation

extension Timestamp {
    /// A time bound as the query API and CLI accept it: RFC 3339, epoch seconds (or ms/µs/ns
    /// by magnitude), `now`, or a duration meaning that long before `now` (`15m`, `2h`, `7d`).
    public static func parseQueryTime(_ text: String, now: Timestamp) -> Timestamp? {
        if text == "now" { return now }
        if let ago = DurationText.nanoseconds(text, defaultUnit: nil) {
            guard ago < 9.2e18 else { return .earliest }
            return now.adding(nanoseconds: -Int64(ago))
        }
        return try? parse(text).get()
    }

    /// The wall clock, for callers at the edge (HTTP handlers, the CLI); logic takes time as input.
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(nanoseconds: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }
}
