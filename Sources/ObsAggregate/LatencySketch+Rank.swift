extension LatencySketch {
    /// How many values lie above `thresholdMs`, as an SLO counts slow requests.
    ///
    /// A sketch keeps bins, not values, so the threshold is resolved to its bin: values in
    /// bins above the threshold's bin count as above, values in its bin (and below) do not.
    /// The bin of a threshold `t` holds `(t/γ', t·γ']` for some γ' ≤ γ ≈ 1.0202, so a value
    /// within about 2 % (twice the 1 % relative accuracy) above `t` may be counted as good;
    /// never one below `t` as bad. The exact `min` and `max` settle the common cases exactly:
    /// every value at or below the threshold (`max ≤ t`), or every value above it (`min > t`).
    public func count(above thresholdMs: Double) -> UInt64 {
        guard count > 0, !thresholdMs.isNaN else { return 0 }
        if self.max <= thresholdMs { return 0 }
        if self.min > thresholdMs { return count }
        // The zero bucket holds values ≤ 1 ns: above a threshold only when it is negative,
        // which `min > threshold` already answered.
        guard thresholdMs > Self.minIndexableValue else {
            return binCounts.reduce(0) { Self.addingSaturated($0, $1) }
        }
        let thresholdBin = Self.binIndex(of: thresholdMs)
        var above: UInt64 = 0
        for (position, countInBin) in binCounts.enumerated() where binOffset + position > thresholdBin {
            above = Self.addingSaturated(above, countInBin)
        }
        return above
    }

    private static func addingSaturated(_ lhs: UInt64, _ rhs: UInt64) -> UInt64 {
        let (total, overflow) = lhs.addingReportingOverflow(rhs)
        return overflow ? .max : total
    }
}
