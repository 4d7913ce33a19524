import ObsCore

/// Validated arguments of `anomaly(EXPR, baseline=, season=, direction=, min_history=)`
/// plus the derived sampling geometry every detector instance shares.
public struct AnomalyParameters: Sendable, Hashable {
    public enum Season: String, Sendable, Hashable, CaseIterable {
        case none
        case day = "1d"
        case week = "1w"
    }

    public enum Direction: String, Sendable, Hashable, CaseIterable {
        case up, down, both
    }

    public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// EXPR is evaluated on this grid; times off the grid are never stored.
    public static let sampleStep: Int64 = 10
    /// Scores are clamped here so a constant series that moves yields a large but finite number.
    public static let scoreCap: Double = 1000

    public private(set) var baselineSeconds: Int64
    public private(set) var season: Season
    public private(set) var direction: Direction
    public private(set) var minHistorySeconds: Int64

    /// - Throws: when baseline is < 60 s or off the 10 s grid, or min_history is negative or beyond the lookback.
    public init(
        baselineSeconds: Int64 = 3600,
        season: Season = .none,
        direction: Direction = .both,
        minHistorySeconds: Int64? = nil
    ) throws(ValidationError) {
        guard baselineSeconds >= 60 else {
            throw ValidationError(message: "anomaly: baseline must be at least 1m, got \(baselineSeconds)s")
        }
        guard baselineSeconds % Self.sampleStep == 0 else {
            throw ValidationError(message: "anomaly: baseline must be a multiple of 10s, got \(baselineSeconds)s")
        }
        // Keeps ring capacities (and so memory per series) bounded at something sane.
        guard baselineSeconds <= 7 * 86_400 else {
            throw ValidationError(message: "anomaly: baseline must be at most 1w, got \(baselineSeconds)s")
        }
        self.baselineSeconds = baselineSeconds
        self.season = season
        self.direction = direction
        self.minHistorySeconds = 0
        let minHistory = minHistorySeconds ?? baselineSeconds
        guard minHistory >= 0 else {
            throw ValidationError(message: "anomaly: min_history must not be negative")
        }
        guard minHistory <= lookbackSeconds else {
            throw ValidationError(message: "min_history=\(DurationText.text(.seconds(minHistory))) is longer than the detector looks back "
                + "(\(DurationText.text(.seconds(lookbackSeconds))) with this baseline and season)")
        }
        self.minHistorySeconds = minHistory
    }

    // MARK: Seasonal geometry

    /// Length of one season in seconds (0 when season=none).
    public var seasonPeriod: Int64 {
        switch season {
        case .none: 0
        case .day: 86_400
        case .week: 604_800
        }
    }

    /// Coarse slot width of the seasonal store: the seasonal profile is sampled once per slot,
    /// which is what keeps rebuilds cheap (288 samples per day, 1008 per week). Recurring events
    /// shorter than about two slots cannot be learnt: 30 min slots for 1w missed a weekday 18 min
    /// batch job in the benchmark, hence 10 min.
    public var seasonalStep: Int64 {
        switch season {
        case .none: 0
        case .day: 300
        case .week: 600
        }
    }

    /// How many earlier seasons vote on the expectation (7 days give a week of daily
    /// profiles; 3 weeks out-vote one anomalous week). Store: 16 KB (1d), 24 KB (1w) per series.
    public var seasonsCompared: Int64 {
        switch season {
        case .none: 0
        case .day: 7
        case .week: 3
        }
    }

    /// Neighbouring coarse slots on each side that also vote (±5 min for 1d, ±10 min for 1w),
    /// which absorbs small phase jitter and single outliers in earlier seasons.
    public var seasonalNeighbours: Int64 { season == .none ? 0 : 1 }

    // MARK: Windows

    /// Extra fine history kept beyond the baseline so that the min_history check is not
    /// defeated by a single missing sample exactly at t − baseline.
    public var historyMarginSeconds: Int64 {
        let tenth = (baselineSeconds / 10 + Self.sampleStep - 1) / Self.sampleStep * Self.sampleStep
        return max(60, tenth)
    }

    /// Fine (10 s) samples are needed only in [t − fineSpan, t).
    public var fineSpanSeconds: Int64 { baselineSeconds + historyMarginSeconds }

    /// The score at t depends only on grid samples in [t − lookback, t) plus the current value.
    /// none: baseline + margin; seasonal: baseline + K·period + (neighbours+1)·seasonalStep
    /// (the oldest input of the interpolated expectation for the oldest fine sample).
    public var lookbackSeconds: Int64 {
        guard season != .none else { return fineSpanSeconds }
        let seasonal = baselineSeconds + seasonsCompared * seasonPeriod + (seasonalNeighbours + 1) * seasonalStep
        return max(fineSpanSeconds, seasonal)
    }

    var fineCapacity: Int { Int(fineSpanSeconds / Self.sampleStep) + 1 }
    var seasonalCapacity: Int { season == .none ? 0 : Int(lookbackSeconds / seasonalStep) + 2 }

    // MARK: Feeding plan

    /// Whether a detector fed through `fedThrough` cannot simply be continued for scoring
    /// from `firstScoringTime` on, and must be replaced by a fresh one fed from scratch.
    public func needsRebuild(fedThrough: Int64?, firstScoringTime: Int64) -> Bool {
        guard let fed = fedThrough else { return true }
        if fed > firstScoringTime { return true }
        return fed < firstScoringTime - lookbackSeconds
    }

    /// Ascending grid times at which the caller must evaluate EXPR and `observe`, so that
    /// `score` at every element of `times` equals the score with complete history.
    ///
    /// Fine times cover [t − fineSpan, t) for every t; seasonal-boundary times cover
    /// [t − lookback, t). When `fedThrough` is usable (see `needsRebuild`) only times after
    /// it are returned; otherwise the plan is a full rebuild from min(times) − lookback.
    /// The list may contain scoring times themselves; observing a time twice is harmless,
    /// and `score(at: t)` ignores samples at ≥ t, so interleaving order at equal times does not matter.
    public func sampleTimes(after fedThrough: Int64?, scoring times: [Int64]) -> [Int64] {
        guard let first = times.min() else { return [] }
        let ordered = times.sorted()
        let step = Self.sampleStep
        let floorExclusive: Int64? =
            needsRebuild(fedThrough: fedThrough, firstScoringTime: first) ? nil : fedThrough

        func collect(span: Int64, grid: Int64) -> [Int64] {
            var out: [Int64] = []
            var next = Int64.min  // first grid time not yet emitted
            if let f = floorExclusive { next = floorDiv(f, grid) * grid + grid }
            for t in ordered {
                var g = max(next, ceilDiv(t - span, grid) * grid)
                while g < t {
                    out.append(g)
                    g += grid
                }
                next = max(next, g)
            }
            return out
        }

        let fine = collect(span: fineSpanSeconds, grid: step)
        guard season != .none else { return fine }
        let coarse = collect(span: lookbackSeconds, grid: seasonalStep)
        var merged: [Int64] = []
        merged.reserveCapacity(fine.count + coarse.count)
        var i = 0, j = 0
        while i < fine.count || j < coarse.count {
            let a = i < fine.count ? fine[i] : Int64.max
            let b = j < coarse.count ? coarse[j] : Int64.max
            if a == b { merged.append(a); i += 1; j += 1 }
            else if a < b { merged.append(a); i += 1 }
            else { merged.append(b); j += 1 }
        }
        return merged
    }
}

@inline(__always) func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

@inline(__always) func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 {
    -floorDiv(-a, b)
}

extension AnomalyParameters {
    /// Slots held per series (each a Double), for memory accounting.
    @_spi(AnomalyBench) public var fineCapacityForReport: Int { fineCapacity }
    @_spi(AnomalyBench) public var seasonalCapacityForReport: Int { seasonalCapacity }
}
