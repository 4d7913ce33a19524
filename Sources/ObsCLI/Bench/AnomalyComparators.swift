@_spi(AnomalyBench) import ObsQuery

/// A causal scorer over a whole series held in memory: `score(i)` may read values[0..<i] and values[i].
/// The comparators use direct indexing (they are references, not shippable state machines).
protocol AnomalyScoringMethod {
    var name: String { get }
    mutating func scores(for scenario: AnomalyScenario, parameters: AnomalyParameters) -> [Double?]
}

/// The shipped detector (or an ablation of it), fed exactly like the live engine.
struct DetectorMethod: AnomalyScoringMethod {
    var name: String
    var tuning: AnomalyDetector.Tuning

    func scores(for scenario: AnomalyScenario, parameters: AnomalyParameters) -> [Double?] {
        var d = AnomalyDetector(parameters: parameters, tuning: tuning)
        var out: [Double?] = []
        out.reserveCapacity(scenario.values.count)
        for (i, v) in scenario.values.enumerated() {
            let t = scenario.time(i)
            out.append(d.score(v, at: t))
            d.observe(v, at: t)
        }
        return out
    }
}

/// (A) z-score against the median and MAD of the raw baseline window; no smoothing, no floors
/// beyond a tiny one to avoid dividing by zero.
struct MedianMADMethod: AnomalyScoringMethod {
    let name = "A median/MAD"

    func scores(for scenario: AnomalyScenario, parameters: AnomalyParameters) -> [Double?] {
        let w = Int(parameters.baselineSeconds / 10)
        let vals = scenario.values
        var buf = [Double](repeating: 0, count: w)
        var out: [Double?] = []
        out.reserveCapacity(vals.count)
        for i in vals.indices {
            guard let x = vals[i], i >= w else { out.append(nil); continue }
            var n = 0
            for k in (i - w)..<i { if let v = vals[k] { buf[n] = v; n += 1 } }
            guard n >= 3 else { out.append(nil); continue }
            let med = BenchStats.median(&buf, n)
            for k in 0..<n { buf[k] = abs(buf[k] - med) }
            let scale = max(1.4826 * BenchStats.median(&buf, n), 1e-9 * abs(med), 1e-12)
            out.append(min(1000, abs(x - med) / scale))
        }
        return out
    }
}

/// (B) Seasonal comparison in the SigNoz/Datadog style: the value against the median of the same
/// time ± one slot in the last K seasons, scaled by the MAD of those votes; falls back to (A)
/// until a season of history exists (and is (A) for season=none).
struct SeasonalMedianMethod: AnomalyScoringMethod {
    let name = "B seasonal median"

    func scores(for scenario: AnomalyScenario, parameters p: AnomalyParameters) -> [Double?] {
        var fallback = MedianMADMethod().scores(for: scenario, parameters: p)
        guard p.season != .none else { return fallback }
        let perSeason = Int(p.seasonPeriod / 10), slot = Int(p.seasonalStep / 10)
        let vals = scenario.values
        var buf = [Double](repeating: 0, count: 64)
        for i in vals.indices {
            guard let x = vals[i], i >= perSeason else { continue }
            var n = 0
            for k in 1...Int(p.seasonsCompared) {
                for j in -1...1 {
                    let idx = i - k * perSeason + j * slot
                    if idx >= 0, idx < i, let v = vals[idx] { buf[n] = v; n += 1 }
                }
            }
            guard n >= 3 else { continue }
            let med = BenchStats.median(&buf, n)
            for k in 0..<n { buf[k] = abs(buf[k] - med) }
            let scale = max(1.4826 * BenchStats.median(&buf, n), 1e-9 * abs(med), 1e-12)
            fallback[i] = min(1000, abs(x - med) / scale)
        }
        return fallback
    }
}

/// (E) Ensemble: page only when both the shipped detector and the seasonal comparison agree.
struct MinEnsembleMethod: AnomalyScoringMethod {
    let name = "E min(C,B)"

    func scores(for scenario: AnomalyScenario, parameters: AnomalyParameters) -> [Double?] {
        let c = DetectorMethod(name: "", tuning: .init()).scores(for: scenario, parameters: parameters)
        let b = SeasonalMedianMethod().scores(for: scenario, parameters: parameters)
        return zip(c, b).map { x, y in
            guard let x, let y else { return nil }
            return min(x, y)
        }
    }
}

enum BenchStats {
    static func median(_ a: inout [Double], _ n: Int) -> Double {
        a.withUnsafeMutableBufferPointer { p in AnomalyRobustStatistics.median(p.baseAddress!, n) }
    }
}
