/// Exact percentiles of a modest number of measured latencies (one per request).
public struct LatencySummary: Sendable {
    public let sortedSeconds: [Double]

    public init(_ seconds: [Double]) {
        sortedSeconds = seconds.sorted()
    }

    /// Nearest-rank percentile; nil without samples.
    public func percentile(_ p: Double) -> Double? {
        guard !sortedSeconds.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sortedSeconds.count)).rounded(.up))
        return sortedSeconds[max(0, min(sortedSeconds.count - 1, rank - 1))]
    }

    public func milliseconds(_ p: Double) -> String {
        guard let value = percentile(p) else { return "n/a" }
        return String(format: "%.1f ms", value * 1000)
    }
}
