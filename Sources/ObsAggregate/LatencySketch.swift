#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Foundation
#endif

/// Mergeable latency sketch (values are milliseconds) that answers quantile queries with a
/// bounded *relative* error, after DDSketch (Masson, Rim & Lee, "DDSketch: A Fast and
/// Fully-Mergeable Quantile Sketch with Relative-Error Guarantees", VLDB 2019).
///
/// obs keeps one sketch per service, operation and time bucket, stores it as a small BLOB
/// and merges stored sketches to answer "p99 over the last hour" without the raw samples.
/// Relative error is the right guarantee for latencies: "p99 is 812 ms ± 1 %" is useful
/// whether the latency is 2 ms or 20 s, which a fixed-width histogram cannot promise.
///
/// ## How it works
/// A value `x` (ms) above ``minIndexableValue`` is counted in bin `i = ⌈log_γ(x)⌉` with
/// `γ = (1 + α) / (1 − α)` and α = ``relativeAccuracy`` = 0.01; bin `i` holds the values in
/// `(γ^(i−1), γ^i]`, and its representative value `2·γ^i / (γ + 1)` is within `α` (relative)
/// of every one of them. Values at or below ``minIndexableValue`` (1 ns) are counted exactly
/// in a separate zero bucket whose representative value is 0. Count, sum, min and max are
/// kept exactly alongside the bins.
///
/// ## Guarantee
/// `quantile(q)` estimates the value `x` of 0-based rank `⌊q·(count − 1)⌋` in sorted order:
/// - if `x` > 1e-6 ms and its bin has not been collapsed (below), `|estimate − x| ≤ 0.01·x`
///   (plus floating-point rounding, ~1e-15 relative);
/// - if `x` ≤ 1e-6 ms, the estimate lies in `[0, 1e-6]`, i.e. absolute error ≤ 1 ns;
/// - rank 0 returns `min` and rank `count − 1` returns `max`, both exact; every estimate is
///   clamped into `[min, max]`, so a constant distribution returns its exact value.
///
/// ## Bounded size and its limit
/// Bins are stored densely from the lowest to the highest non-empty bin. When that span would
/// exceed `maxBins`, the *lowest* bins are collapsed into the lowest remaining one (the
/// paper's "collapsing lowest buckets"): the sketch then keeps the `maxBins` highest bins
/// exactly and counts everything below them in the lowest kept bin. High quantiles keep the
/// guarantee; a quantile whose value lies below the kept range is *overestimated* (never
/// underestimated by more than `α`). With the default 2048 bins the kept range spans a ratio
/// of `γ^2047 ≈ 6·10^17` between its lowest and highest value, e.g. 1 ns to 19 years, so
/// collapsing never happens for real latencies. The final state does not depend on the order
/// of `add` and `merge` calls: the kept range always ends at the highest bin ever seen.
///
/// ## Equality
/// `==` is semantic: two sketches are equal when they summarize the same values with the same
/// `maxBins`: same count, zero count, min, max and bins by index. `sum` is deliberately
/// **not** compared, because floating-point addition is not associative: merging 360
/// per-minute sketches and adding all their samples to one sketch give sums that differ in
/// the last bits. Compare `sum` with a tolerance where it matters. (An encode/decode round
/// trip preserves `sum` bit for bit.)
///
/// Counters saturate at `UInt64.max` instead of trapping (unreachable in practice: 584 years
/// at 10^9 values per second); a sketch that has counted `UInt64.max` values ignores `add`.
public struct LatencySketch: Sendable, Equatable {
    /// α: the relative error bound of quantile estimates.
    public static let relativeAccuracy: Double = 0.01
    /// Enough bins for any latency from 1 ns to about 19 years without collapsing.
    public static let defaultMaxBins = 2048
    /// Values (ms) at or below this, 1 ns, are counted in the zero bucket and estimated as 0.
    /// Without a floor, values approaching 0 would need unboundedly many bins.
    public static let minIndexableValue: Double = 1e-6
    /// The largest accepted `maxBins`. Every Double above ``minIndexableValue`` falls in one of
    /// 36,179 bins (-690...35488), so a larger bound would change nothing; capping it keeps the
    /// index arithmetic far from overflow.
    public static let maxBinsLimit = 1 << 16

    /// How many values were added (including those in the zero bucket).
    public private(set) var count: UInt64 = 0
    /// Exact sum of the added values, after negative values were replaced by 0.
    public private(set) var sum: Double = 0
    /// The smallest added value; `+infinity` when the sketch is empty (the identity of `min`,
    /// so merging needs no special case). Check ``isEmpty`` before displaying it.
    public private(set) var min: Double = .infinity
    /// The largest added value; `-infinity` when the sketch is empty. Check ``isEmpty``.
    public private(set) var max: Double = -.infinity
    /// The bound on the number of bins (see "Bounded size and its limit"), in
    /// `1...maxBinsLimit`.
    public private(set) var maxBins: Int

    /// How many values were at or below ``minIndexableValue``.
    private(set) var zeroCount: UInt64 = 0
    /// `binCounts[k]` counts the values of bin index `binOffset + k`. Kept canonical, so that
    /// equal contents mean equal arrays: either empty, or its first and last entries are
    /// non-zero. Its length is at most `maxBins`. (Internal, not private, for the encoding in
    /// `LatencySketch+Encoding.swift`; nothing else writes it.)
    var binCounts: [UInt64] = []
    /// The bin index of `binCounts[0]`; 0 when there are no bins.
    var binOffset = 0

    /// Creates an empty sketch. `maxBins` is clamped into `1...maxBinsLimit`.
    public init(maxBins: Int = LatencySketch.defaultMaxBins) {
        self.maxBins = Swift.min(Swift.max(maxBins, 1), Self.maxBinsLimit)
    }

    public var isEmpty: Bool { count == 0 }

    /// The number of bins spanned, from the lowest to the highest non-empty one.
    var binCount: Int { binCounts.count }

    /// Records one value in milliseconds. NaN and +infinity are ignored (they are bugs in the
    /// caller's clock arithmetic, and one of them would poison `sum` forever); negative values
    /// and -infinity count as 0, since a latency cannot be negative and the sample still
    /// happened.
    public mutating func add(_ valueMs: Double) {
        // `<` is false for NaN, so this one comparison rejects both NaN and +infinity.
        guard valueMs < .infinity, count < .max else { return }
        let value = valueMs > 0 ? valueMs : 0
        count += 1
        sum += value
        if value < self.min { self.min = value }
        if value > self.max { self.max = value }
        if value > Self.minIndexableValue {
            incrementBin(Self.binIndex(of: value))
        } else {
            zeroCount += 1
        }
    }

    /// Adds the values summarized by `other`, as if they had been added to this sketch.
    /// The result keeps the smaller of the two `maxBins` (collapsing if needed), so a merge
    /// never lets a sketch outgrow the bound either side was created with. Merging an empty
    /// sketch with the same `maxBins` changes nothing.
    public mutating func merge(_ other: LatencySketch) {
        maxBins = Swift.min(maxBins, other.maxBins)
        count = Self.saturatingSum(count, other.count)
        zeroCount = Self.saturatingSum(zeroCount, other.zeroCount)
        sum += other.sum
        self.min = Swift.min(self.min, other.min)
        self.max = Swift.max(self.max, other.max)

        guard !other.binCounts.isEmpty else {
            collapseToMaxBins()
            return
        }
        guard !binCounts.isEmpty else {
            binCounts = other.binCounts
            binOffset = other.binOffset
            collapseToMaxBins()
            return
        }
        let highest = Swift.max(highestStoredBinIndex, other.highestStoredBinIndex)
        let lowest = Swift.max(Swift.min(binOffset, other.binOffset), highest - maxBins + 1)
        if lowest == binOffset && highest == highestStoredBinIndex {
            // `other` fits into the bins this sketch already has: add in place.
            Self.accumulate(other.binCounts, from: other.binOffset, into: &binCounts, from: lowest)
        } else {
            var merged = [UInt64](repeating: 0, count: highest - lowest + 1)
            Self.accumulate(binCounts, from: binOffset, into: &merged, from: lowest)
            Self.accumulate(other.binCounts, from: other.binOffset, into: &merged, from: lowest)
            binCounts = merged
            binOffset = lowest
        }
    }

    /// Estimates the value of 0-based rank `⌊q·(count − 1)⌋` in sorted order, clamped to
    /// `[min, max]`; see the type's "Guarantee". `q` below 0 counts as 0 and above 1 as 1.
    /// Returns nil when the sketch is empty or `q` is NaN.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0, !q.isNaN else { return nil }
        let fraction = Swift.min(Swift.max(q, 0), 1)
        let lastRank = count - 1
        let scaledRank = (fraction * Double(lastRank)).rounded(.down)
        // `Double(lastRank)` may round up past `UInt64.max`; compare before converting.
        let rank = scaledRank >= Double(lastRank) ? lastRank : UInt64(scaledRank)
        if rank == 0 { return self.min }
        if rank == lastRank { return self.max }
        return Swift.min(Swift.max(estimate(ofRank: rank), self.min), self.max)
    }

    public static func == (lhs: LatencySketch, rhs: LatencySketch) -> Bool {
        lhs.count == rhs.count && lhs.zeroCount == rhs.zeroCount && lhs.maxBins == rhs.maxBins
            && lhs.min == rhs.min && lhs.max == rhs.max
            && lhs.binOffset == rhs.binOffset && lhs.binCounts == rhs.binCounts
    }
}

// MARK: - Index mapping

extension LatencySketch {
    /// γ: the ratio between the upper bounds of consecutive bins.
    static let gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
    static let logGamma = log(gamma)
    /// Cached so that `add` costs one `log` and one multiplication, no division.
    static let inverseLogGamma = 1 / logGamma
    /// `log(2 / (γ + 1))`, i.e. `log(1 − α)`: added in log space so that the representative
    /// value of the highest bins does not overflow on the way.
    static let logRepresentativeFactor = log(2 / (gamma + 1))
    /// The lowest bin a value above ``minIndexableValue`` can land in (-690).
    static let lowestPossibleBinIndex = binIndex(of: minIndexableValue.nextUp)
    /// The bin of the largest finite Double (35488): no valid encoding reaches beyond it.
    static let highestPossibleBinIndex = binIndex(of: .greatestFiniteMagnitude)

    /// `⌈log_γ(value)⌉` for `value` > ``minIndexableValue``.
    @inline(__always)
    static func binIndex(of value: Double) -> Int {
        Int((log(value) * inverseLogGamma).rounded(.up))
    }

    /// `2·γ^index / (γ + 1)`: within α of every value in `(γ^(index−1), γ^index]`.
    static func representativeValue(ofBin index: Int) -> Double {
        exp(Double(index) * logGamma + logRepresentativeFactor)
    }
}

// MARK: - Bins

extension LatencySketch {
    private var highestStoredBinIndex: Int { binOffset + binCounts.count - 1 }

    @inline(__always)
    private mutating func incrementBin(_ index: Int) {
        let position = index &- binOffset
        if position >= 0 && position < binCounts.count {
            binCounts[position] += 1
        } else {
            incrementBinOutsideStoredRange(index)
        }
    }

    /// The slow path of `add`: the value's bin is below or above the stored bins, so the
    /// storage grows, and the lowest bins collapse if the span would exceed `maxBins`.
    /// (A bin count cannot overflow here: it never exceeds `count`, which is below `.max`.)
    private mutating func incrementBinOutsideStoredRange(_ index: Int) {
        guard !binCounts.isEmpty else {
            binOffset = index
            binCounts = [1]
            return
        }
        if index > highestStoredBinIndex {
            let lowestKept = index - maxBins + 1
            if lowestKept > binOffset {
                collapseBins(below: lowestKept)
            }
            if index > highestStoredBinIndex {
                let emptyBinsBetween = index - highestStoredBinIndex - 1
                binCounts.append(contentsOf: repeatElement(0, count: emptyBinsBetween))
                binCounts.append(1)
            } else {
                // maxBins == 1: everything, this value included, collapsed into its bin.
                binCounts[binCounts.count - 1] += 1
            }
        } else {
            // Below the stored bins: the value goes to its own bin if the span allows,
            // otherwise into the lowest bin the span allows (collapsing it on arrival).
            let target = Swift.max(index, highestStoredBinIndex - maxBins + 1)
            if target < binOffset {
                binCounts.insert(contentsOf: repeatElement(0, count: binOffset - target), at: 0)
                binOffset = target
            }
            binCounts[target - binOffset] += 1
        }
    }

    /// Enforces `maxBins` after it shrank or after bins were replaced wholesale.
    private mutating func collapseToMaxBins() {
        if binCounts.count > maxBins {
            collapseBins(below: highestStoredBinIndex - maxBins + 1)
        }
    }

    /// Moves the counts of every bin below `lowestKept` into bin `lowestKept`, which becomes
    /// the first stored bin (it may lie above every stored bin, when all of them collapse).
    private mutating func collapseBins(below lowestKept: Int) {
        let collapsing = Swift.min(lowestKept - binOffset, binCounts.count)
        var collapsed: UInt64 = 0
        for position in 0..<collapsing {
            collapsed = Self.saturatingSum(collapsed, binCounts[position])
        }
        if collapsing == binCounts.count {
            binCounts = [collapsed]
        } else {
            binCounts.removeFirst(collapsing)
            binCounts[0] = Self.saturatingSum(binCounts[0], collapsed)
        }
        binOffset = lowestKept
    }

    /// Adds `source` (bins starting at index `sourceOffset`) into `target` (bins starting at
    /// `targetOffset`); source bins below `targetOffset` are collapsed into `target[0]`.
    /// The caller guarantees that `target` reaches the highest source bin.
    private static func accumulate(
        _ source: [UInt64], from sourceOffset: Int,
        into target: inout [UInt64], from targetOffset: Int
    ) {
        // Merging is the inner loop of every windowed query (thousands of sketches per
        // range query), so it runs over raw buffers without per-element checks.
        let shift = sourceOffset - targetOffset
        source.withUnsafeBufferPointer { source in
            target.withUnsafeMutableBufferPointer { target in
                var position = 0
                var collapsed: UInt64 = 0
                while position < source.count && shift + position < 0 {
                    collapsed = saturatingSum(collapsed, source[position])
                    position += 1
                }
                if collapsed > 0 { target[0] = saturatingSum(target[0], collapsed) }
                while position < source.count {
                    let (sum, overflow) = target[shift + position].addingReportingOverflow(source[position])
                    target[shift + position] = overflow ? .max : sum
                    position += 1
                }
            }
        }
    }

    /// The representative value of the bin holding the value of `rank` (0-based).
    private func estimate(ofRank rank: UInt64) -> Double {
        if rank < zeroCount { return 0 }
        var seen = zeroCount
        for (position, countInBin) in binCounts.enumerated() {
            seen = Self.saturatingSum(seen, countInBin)
            if seen > rank { return Self.representativeValue(ofBin: binOffset + position) }
        }
        // Only reachable if the counters saturated; the largest value is the best answer.
        return self.max
    }

    private static func saturatingSum(_ lhs: UInt64, _ rhs: UInt64) -> UInt64 {
        let (total, overflow) = lhs.addingReportingOverflow(rhs)
        return overflow ? .max : total
    }
}

// MARK: - Decoded state

extension LatencySketch {
    /// Assembles a decoded sketch, trimming empty bins at either end (which `encoded()` never
    /// writes, but a dense layout can express) so that the bins stay canonical.
    init(
        validatedCount count: UInt64, zeroCount: UInt64, maxBins: Int,
        sum: Double, min: Double, max: Double, bins: (counts: [UInt64], firstIndex: Int)
    ) {
        self.init(maxBins: maxBins)
        self.count = count
        self.zeroCount = zeroCount
        self.sum = sum
        self.min = min
        self.max = max
        let firstNonEmpty = bins.counts.firstIndex { $0 > 0 } ?? bins.counts.count
        let lastNonEmpty = bins.counts.lastIndex { $0 > 0 } ?? -1
        if firstNonEmpty <= lastNonEmpty {
            binCounts =
                firstNonEmpty == 0 && lastNonEmpty == bins.counts.count - 1
                ? bins.counts : Array(bins.counts[firstNonEmpty...lastNonEmpty])
            binOffset = bins.firstIndex + firstNonEmpty
        }
    }
}
