/// Streaming, windowed anomaly scorer for one series (see `AnomalyParameters`).
///
/// Model: residual r = x − E(t), where E is the seasonal expectation (median of the same time
/// ± one coarse slot over the last K seasons, linearly interpolated between slots; E = 0 without
/// a season, and the plain model is used until one season of history exists). Over the baseline:
///   level L = median(r)
///   scale s = max(1.4826·MAD(r), q99.5(|r − L|, window minus its newest ¼) / D, 1e-9·|level|, 1e-12)
///   D = 2.75 for Gaussian-like tails, sliding to 1.5 as q99.5/σ_MAD goes from 3 to 6 (bursty series)
/// Score = median over the current and 4 previous samples of (r − L), each with a seasonal dead
/// zone between its two bracketing slot expectations, divided by s; one-sided per `direction`;
/// clamped to [0, 1000].
///
/// Everything is recomputed from the rings at score time, so the state is just the samples in
/// the lookback: rebuilding from `sampleTimes` reproduces scores bit for bit.
public struct AnomalyDetector: Sendable {
    public let parameters: AnomalyParameters
    var fine: AnomalyTimeRing
    var seasonal: AnomalyTimeRing
    @_spi(AnomalyBench) public var tuning: Tuning

    /// Knobs the benchmark ablates; production uses the defaults.
    @_spi(AnomalyBench) public struct Tuning: Sendable, Hashable {
        /// Samples (incl. the current one) whose median is scored; 1 disables smoothing.
        public var smoothing: Int = 5
        /// Quantile of |deviation| over the older part of the window used as a scale floor
        /// (nil disables). Absorbs heavy tails and routine bursts the MAD cannot see.
        public var tailQuantile: Double? = 0.995
        /// Divisor for Gaussian-like tails (q99.5 ≈ 2.8σ, so 2.75 leaves the MAD scale nearly in charge)…
        public var tailDivisor: Double = 2.75
        /// …sliding to this one as the tail grows heavier than Gaussian (ratio q/σ from 3 to 6),
        /// so on a flat series (MAD ≈ 0) a burst pages only when about twice as high as the
        /// high quantile of the earlier part of the window (routine bursts score ≈ 1.5 × that ratio).
        public var burstTailDivisor: Double = 1.5
        /// The newest fraction of the window is left out of the tail floor so an anomaly in
        /// progress cannot raise its own bar before it has had the chance to page.
        public var tailExcludedFraction: Double = 0.25
        /// Whether the seasonal expectation is used at all (false = plain robust level).
        public var useSeason: Bool = true
        public init() {}
    }

    public init(parameters: AnomalyParameters) {
        self.parameters = parameters
        fine = AnomalyTimeRing(capacity: parameters.fineCapacity)
        seasonal = AnomalyTimeRing(capacity: parameters.seasonalCapacity)
        tuning = Tuning()
    }

    @_spi(AnomalyBench) public init(parameters: AnomalyParameters, tuning: Tuning) {
        self.init(parameters: parameters)
        self.tuning = tuning
    }

    static let relativeScaleFloor = 1e-9
    static let absoluteScaleFloor = 1e-12
    /// Seasonal expectation needs at least one full neighbourhood (one earlier season).
    static let minSeasonalVotes = 3

    /// Records the sample at grid time `time`. Off-grid times are ignored; calls must be
    /// ascending (times may skip; an older time than the newest observed is ignored).
    public mutating func observe(_ value: Double?, at time: Int64) {
        let step = AnomalyParameters.sampleStep
        guard time % step == 0 else { return }
        let v = value.flatMap { $0.isFinite ? $0 : nil } ?? .nan
        fine.record(v, at: time / step)
        let s = parameters.seasonalStep
        if s > 0 && time % s == 0 {
            seasonal.record(v, at: time / s)
        }
    }

    /// True when no sample in [time − lookback, time] has a value.
    public func isEmpty(at time: Int64) -> Bool {
        let p = parameters
        let step = AnomalyParameters.sampleStep
        if fine.firstValued(from: ceilDiv(time - p.fineSpanSeconds, step), through: floorDiv(time, step)) != nil {
            return false
        }
        let s = p.seasonalStep
        guard s > 0 else { return true }
        return seasonal.firstValued(from: ceilDiv(time - p.lookbackSeconds, s), through: floorDiv(time, s)) == nil
    }

    /// Score of `value` at `time` against samples strictly before `time` within the lookback.
    /// nil when the value is nil/non-finite or history is short of min_history (the oldest valued
    /// sample in the lookback must be at least min_history old, and at least a tenth of the
    /// baseline's fine slots, minimum 3, must hold values). Otherwise finite, in [0, 1000].
    public func score(_ value: Double?, at time: Int64) -> Double? {
        guard let x = value, x.isFinite else { return nil }
        let p = parameters
        let step = AnomalyParameters.sampleStep
        let hiIndex = floorDiv(time - 1, step)  // newest grid index strictly before time
        let loIndex = ceilDiv(time - p.baselineSeconds, step)
        guard hiIndex >= loIndex, hasMinHistory(at: time) else { return nil }
        let slots = Int(hiIndex - loIndex + 1)
        let minCount = max(3, Int(p.baselineSeconds / step) / 10)

        let sStep = p.seasonalStep
        let seasonal = tuning.useSeason && sStep > 0
        // Coarse boundaries bracketing every fine time in the window and the current time.
        let bLo = seasonal ? floorDiv(loIndex * step, sStep) : 0
        let bHi = seasonal ? ceilDiv(time, sStep) : -1
        let bCount = Int(max(0, bHi - bLo + 1))

        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 5 * slots + bCount + 1) { raw in
            guard let base = raw.baseAddress else { return nil }
            let r = base
            let work = base + slots
            let tail = base + 2 * slots
            let expectations = base + 3 * slots
            // Per-sample dead zone (see `banded`), relative to the interpolated expectation.
            let bandLow = base + 3 * slots + bCount + 1
            let bandHigh = bandLow + slots

            var useSeason = false
            if seasonal {
                for b in 0..<bCount {
                    expectations[b] = seasonalExpectation(atBoundary: bLo + Int64(b), scoringTime: time) ?? .nan
                }
                useSeason = !expected(at: time, expectations, bLo).isNaN
            }

            var n = 0
            var oldCount = 0
            let oldLimit = time - Int64(Double(p.baselineSeconds) * tuning.tailExcludedFraction)
            func fill(seasonally: Bool) {
                n = 0
                oldCount = 0
                var i = loIndex
                while i <= hiIndex {
                    if let v = fine.value(at: i) {
                        var res = v
                        var low = 0.0, high = 0.0
                        if seasonally {
                            let e = expectedBand(at: i * step, expectations, bLo)
                            res = v - e.mid
                            low = e.low - e.mid
                            high = e.high - e.mid
                        }
                        if res.isFinite {
                            bandLow[n] = low
                            bandHigh[n] = high
                            r[n] = res
                            n += 1
                            if i * step < oldLimit { oldCount = n }
                        }
                    }
                    i += 1
                }
            }
            fill(seasonally: useSeason)
            if useSeason && n < minCount {
                useSeason = false
                fill(seasonally: false)
            }
            guard n >= minCount else { return nil }

            let expectedNow = useSeason ? expected(at: time, expectations, bLo) : 0

            // Level and MAD.
            for k in 0..<n { work[k] = r[k] }
            let level = AnomalyRobustStatistics.median(work, n)
            for k in 0..<n { work[k] = abs(r[k] - level) }
            let useTail = tuning.tailQuantile != nil && oldCount >= 10
            if useTail {
                // Banded, so recurring sharp seasonal edges do not pass for bursts.
                for k in 0..<oldCount {
                    let d = r[k] - level
                    tail[k] = abs(d - min(max(d, bandLow[k]), bandHigh[k]))
                }
            }
            let mad = AnomalyRobustStatistics.median(work, n)
            var scale = AnomalyRobustStatistics.madToSigma * mad
            if useTail, let q = tuning.tailQuantile {
                let tq = AnomalyRobustStatistics.quantile(tail, oldCount, q)
                scale = max(scale, tq / tailDivisor(tailToScale: scale > 0 ? tq / scale : .infinity))
            }
            let reference = abs(level + expectedNow)
            scale = max(scale, Self.relativeScaleFloor * (reference.isFinite ? reference : 0), Self.absoluteScaleFloor)

            // Smoothed deviation: median over the current and previous (smoothing − 1) samples of
            // each one's deviation from level + expectation. With a season, a sample anywhere between
            // the expectations of its two bracketing slots counts as on-profile (a dead zone), because
            // coarse slots cannot say where inside a slot a sharp recurring edge (a cron job) falls.
            let window = max(1, tuning.smoothing)
            let sm = work  // reuse: MAD is done with `work`
            func banded(_ v: Double, at t: Int64) -> Double {
                guard useSeason else { return v - level }
                let e = expectedBand(at: t, expectations, bLo)
                let d = v - e.mid - level
                return d - min(max(d, e.low - e.mid), e.high - e.mid)
            }
            sm[0] = banded(x, at: time)
            var m = sm[0].isFinite ? 1 : 0
            var i = hiIndex
            while m < window && i >= hiIndex - Int64(window - 2) && i >= loIndex {
                if let v = fine.value(at: i) {
                    let d = banded(v, at: i * step)
                    if d.isFinite {
                        sm[m] = d
                        m += 1
                    }
                }
                i -= 1
            }
            guard m > 0 else { return AnomalyParameters.scoreCap }
            let deviation = AnomalyRobustStatistics.median(sm, m)
            let signed: Double
            switch p.direction {
            case .up: signed = max(0, deviation)
            case .down: signed = max(0, -deviation)
            case .both: signed = abs(deviation)
            }
            let s = signed / scale
            if s.isNaN { return 0 }
            return min(AnomalyParameters.scoreCap, s)
        }
    }

    /// Tail floor divisor as a function of how heavy the tail is relative to the MAD scale.
    func tailDivisor(tailToScale ratio: Double) -> Double {
        let w = min(1, max(0, (ratio - 3) / 3))
        return tuning.tailDivisor + (tuning.burstTailDivisor - tuning.tailDivisor) * w
    }

    /// Whether some sample at least min_history old (and inside the lookback) has a value.
    func hasMinHistory(at time: Int64) -> Bool {
        let p = parameters
        let step = AnomalyParameters.sampleStep
        let newest = min(time - p.minHistorySeconds, time - 1)
        if fine.firstValued(from: ceilDiv(time - p.fineSpanSeconds, step), through: floorDiv(newest, step)) != nil {
            return true
        }
        let s = p.seasonalStep
        guard s > 0 else { return false }
        return seasonal.firstValued(from: ceilDiv(time - p.lookbackSeconds, s), through: floorDiv(newest, s)) != nil
    }

    /// Median of the coarse samples at boundary ± neighbours in each of the K earlier seasons,
    /// restricted to the scoring time's lookback so the result never depends on older state.
    func seasonalExpectation(atBoundary b: Int64, scoringTime: Int64) -> Double? {
        let p = parameters
        let s = p.seasonalStep
        let perSeason = p.seasonPeriod / s
        let nb = p.seasonalNeighbours
        let oldest = ceilDiv(scoringTime - p.lookbackSeconds, s)
        let newest = floorDiv(scoringTime - 1, s)
        let maxVotes = Int(p.seasonsCompared * (2 * nb + 1))
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: maxVotes) { raw -> Double? in
            guard let buf = raw.baseAddress else { return nil }
            var n = 0
            for k in 1...p.seasonsCompared {
                let center = b - k * perSeason
                for j in -nb...nb {
                    let idx = center + j
                    guard idx >= oldest, idx <= newest, let v = seasonal.value(at: idx) else { continue }
                    buf[n] = v
                    n += 1
                }
            }
            guard n >= Self.minSeasonalVotes else { return nil }
            return AnomalyRobustStatistics.median(buf, n)
        }
    }

    /// Interpolated expectation at `t` and the range spanned by its two bracketing slots.
    @inline(__always)
    func expectedBand(at t: Int64, _ expectations: UnsafeMutablePointer<Double>, _ bLo: Int64)
        -> (mid: Double, low: Double, high: Double)
    {
        let s = parameters.seasonalStep
        let b0 = floorDiv(t, s)
        let mid = expected(at: t, expectations, bLo)
        if b0 * s == t { return (mid, mid, mid) }
        let e0 = expectations[Int(b0 - bLo)], e1 = expectations[Int(b0 + 1 - bLo)]
        if e0.isNaN || e1.isNaN { return (mid, mid, mid) }
        return (mid, min(e0, e1), max(e0, e1))
    }

    /// Expectation at `t`, interpolated between the bracketing boundaries (either one alone
    /// when the other is unknown); NaN when neither is known.
    @inline(__always)
    func expected(at t: Int64, _ expectations: UnsafeMutablePointer<Double>, _ bLo: Int64) -> Double {
        let s = parameters.seasonalStep
        let b0 = floorDiv(t, s)
        let e0 = expectations[Int(b0 - bLo)]
        let frac = Double(t - b0 * s) / Double(s)
        if frac == 0 { return e0 }
        let e1 = expectations[Int(b0 + 1 - bLo)]
        if e0.isNaN { return e1 }
        if e1.isNaN { return e0 }
        return e0 + (e1 - e0) * frac
    }
}

extension AnomalyDetector: Equatable {
    public static func == (a: AnomalyDetector, b: AnomalyDetector) -> Bool {
        a.parameters == b.parameters && a.tuning == b.tuning
            && AnomalyTimeRing.bitwiseEqual(a.fine, b.fine)
            && AnomalyTimeRing.bitwiseEqual(a.seasonal, b.seasonal)
    }
}
