import ObsQuery
import Foundation

extension BenchRandom {
    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * uniform() }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// Student-t with 3 degrees of freedom (heavy tails, finite variance).
    mutating func studentT3() -> Double {
        let z = normal()
        var chi = 0.0
        for _ in 0..<3 {
            let g = normal()
            chi += g * g
        }
        return z / (chi / 3).squareRoot()
    }

    /// Knuth's method; fine for the small rates used here.
    mutating func poisson(_ lambda: Double) -> Double {
        let limit = exp(-lambda)
        var k = 0.0
        var product = 1.0
        repeat {
            k += 1
            product *= uniform()
        } while product > limit
        return k - 1
    }
}

/// One labelled series: samples every 10 s from `start`, anomaly windows that should page,
/// and "must not page" events (outliers, drift, variance drop) used for reporting.
struct AnomalyScenario: Sendable {
    var family: String
    var seed: UInt64
    var start: Int64
    var values: [Double?]
    var season: AnomalyParameters.Season
    var anomalies: [ClosedRange<Int64>]
    var mustNotPage: [ClosedRange<Int64>]

    var durationSeconds: Int64 { Int64(values.count) * AnomalyParameters.sampleStep }
    func time(_ i: Int) -> Int64 { start + Int64(i) * AnomalyParameters.sampleStep }
}

/// Deterministic labelled set. Families and counts (seed-varied):
/// noise_gauss ×6, noise_heavy ×6, level_shift ×8, spikes ×8, single_outliers ×6, slow_drift ×6,
/// variance ×6, daily_latency ×8 (1d), weekly ×4 (1w, 17 days), flat_bursts ×6, counts_near_zero ×6.
enum AnomalySyntheticSet {
    /// A Tuesday 00:00 UTC; seasons are phase-free so the weekday only matters for reading plots.
    static let epoch: Int64 = 1_699_920_000
    static let day: Int64 = 86_400
    static let minute: Int64 = 60

    static func generate(seed: UInt64) -> [AnomalyScenario] {
        var out: [AnomalyScenario] = []
        func add(_ family: String, _ count: Int, _ make: (inout BenchRandom, UInt64) -> AnomalyScenario) {
            for k in 0..<count {
                let s = seed &* 1_000_003 &+ UInt64(out.count) &* 7919 &+ UInt64(k)
                var rng = BenchRandom(seed: s)
                out.append(make(&rng, s))
            }
        }
        add("noise_gauss", 6) { rng, s in noise(&rng, s, heavy: false) }
        add("noise_heavy", 6) { rng, s in noise(&rng, s, heavy: true) }
        add("level_shift", 8, levelShift)
        add("spikes", 8, spikes)
        add("single_outliers", 6, outliers)
        add("slow_drift", 6, drift)
        add("variance", 6, variance)
        add("daily_latency", 8, daily)
        add("weekly", 4, weekly)
        add("flat_bursts", 6, flatBursts)
        add("counts_near_zero", 6, counts)
        return out
    }

    static func samples(days: Double) -> Int { Int(days * Double(day) / 10) }

    /// Drops ~0.5% of samples (and an occasional 5-minute gap) so every family exercises nil handling.
    static func punchGaps(_ v: inout [Double?], _ rng: inout BenchRandom) {
        for i in v.indices where rng.uniform() < 0.005 { v[i] = nil }
        let gaps = rng.int(0...2)
        for _ in 0..<gaps {
            let at = rng.int(0...(v.count - 31))
            for i in at..<(at + 30) { v[i] = nil }
        }
    }

    static func noise(_ rng: inout BenchRandom, _ seed: UInt64, heavy: Bool) -> AnomalyScenario {
        let n = samples(days: 3)
        let level = rng.uniform(50, 500), sigma = level * rng.uniform(0.01, 0.05)
        var v: [Double?] = (0..<n).map { _ in level + sigma * (heavy ? rng.studentT3() : rng.normal()) }
        punchGaps(&v, &rng)
        return AnomalyScenario(family: heavy ? "noise_heavy" : "noise_gauss", seed: seed, start: epoch,
                               values: v, season: .none, anomalies: [], mustNotPage: [])
    }

    static func levelShift(_ rng: inout BenchRandom, _ seed: UInt64) -> AnomalyScenario {
        let n = samples(days: 3)
        let level = rng.uniform(50, 500), sigma = level * rng.uniform(0.01, 0.04)
        let sign: Double = rng.uniform() < 0.5 ? 1 : -1
        let shift = sign * sigma * rng.uniform(6, 12)
        let a = Int(rng.uniform(1.1, 1.5) * Double(n) / 3), b = Int(rng.uniform(2.1, 2.5) * Double(n) / 3)
        var v: [Double?] = (0..<n).map { i in
            level + ((i >= a && i < b) ? shift : 0) + sigma * rng.normal()
        }
        punchGaps(&v, &rng)
        let w: Int64 = 20 * minute
        let ta = epoch + Int64(a) * 10, tb = epoch + Int64(b) * 10
        return AnomalyScenario(family: "level_shift", seed: seed, start: epoch, values: v, season: .none,
                               anomalies: [ta...(ta + w), tb...(tb + w)], mustNotPage: [])
    }

    static func spikes(_ rng: inout BenchRandom, _ seed: UInt64) -> AnomalyScenario {
        let n = samples(days: 3)
        let level = rng.uniform(50, 500), sigma = level * rng.uniform(0.01, 0.04)
        var v: [Double?] = (0..<n).map { _ in level + sigma * rng.normal() }
        var labels: [ClosedRange<Int64>] = []
        for k in 0..<4 {
            let at = Int((0.4 + 0.6 * Double(k)) * Double(day) / 10) + rng.int(0...1000)
            let len = rng.int(12...60)  // 2–10 min
            let amp = (rng.uniform() < 0.7 ? 1.0 : -1.0) * sigma * rng.uniform(6, 15)
            for i in at..<(at + len) { v[i] = (v[i] ?? level) + amp }
            labels.append((epoch + Int64(at) * 10)...(epoch + Int64(at + len) * 10))
        }
        punchGaps(&v, &rng)
        return AnomalyScenario(family: "spikes", seed: seed, start: epoch, values: v, season: .none,
                               anomalies: labels, mustNotPage: [])
    }

    static func outliers(_ rng: inout BenchRandom, _ seed: UInt64) -> AnomalyScenario {
        let n = samples(days: 3)
        let level = rng.uniform(50, 500), sigma = level * rng.uniform(0.01, 0.04)
        var v: [Double?] = (0..<n).map { _ in level + sigma * rng.normal() }
        var events: [ClosedRange<Int64>] = []
        for _ in 0..<30 {
            let at = rng.int(400...(n - 1))
            v[at] = level + (rng.uniform() < 0.5 ? 1 : -1) * sigma * rng.uniform(8, 30)
            events.append((epoch + Int64(at) * 10)...(epoch + Int64(at) * 10 + 120))
        }
        punchGaps(&v, &rng)
        return AnomalyScenario(family: "single_outliers", seed: seed, start: epoch, values: v, season: .none,
                               anomalies: [], mustNotPage: events)
    }

    static func drift(_ rng: inout BenchRandom, _ seed: UInt64) -> AnomalyScenario {
        let n = samples(days: 4)
        let level = rng.uniform(50, 500), sigma = level * rng.uniform(0.01, 0.04)
        let perDay = (rng.uniform() < 0.5 ? 1 : -1) * sigma * rng.uniform(10, 30)
        var v: [Double?] = (0..<n).map { i in
            level + perDay * Double(i) * 10 / Double(day) + sigma * rng.normal()
        }
        punchGaps(&v, &rng)
        return AnomalyScenario(family: "slow_drift", seed: seed, start: epoch, values: v, season: .none,
                               anomalies: [], mustNotPage: [epoch...(epoch + Int64(n) * 10)])
    }

    /// Variance up ×5 is labelled (first 30 min); the later return to the old noise must not page.
    static func variance(_ rng: inout BenchRandom, _ seed: UInt64) -> AnomalyScenario {
        let n = samples(days: 3)
        let level = rng.uniform(50, 500), sigma = level * rng.uniform(0.01, 0.03)
        let a = Int(rng.uniform(1.1, 1.4) * Double(n) / 3), b = Int(rng.uniform(2.1, 2.4) * Double(n) / 3)
        var v: [Double?] = (0..<n).map { i in level + sigma * ((i >= a && i < b) ? 5 : 1) * rng.normal() }
        punchGaps(&v, &rng)
        let ta = epoch + Int64(a) * 10, tb = epoch + Int64(b) * 10
        return AnomalyScenario(family: "variance", seed: seed, start: epoch, values: v, season: .none,
                               anomalies: [ta...(ta + 30 * minute)], mustNotPage: [tb...(tb + 60 * minute)])
    }

    /// Latency-like daily profile: base, a broad afternoon peak and a morning bump, with
    /// a nightly batch plateau, multiplicative noise; anomalies injected from day 3 on, one inside the peak.
    static func daily(_ rng: inout BenchRandom, _ seed: UInt64) -> AnomalyScenario {
        let n = samples(days: 6)
        let base = rng.uniform(40, 120), peak = base * rng.uniform(0.8, 2.0), peakHour = rng.uniform(12, 17)
        let noiseFrac = rng.uniform(0.02, 0.05)
        let cronHour = rng.uniform(0.5, 1.5), cronLength = rng.uniform(0.25, 0.4), cronLift = rng.uniform(0.5, 1.0)
        let dayScale = (0..<7).map { _ in rng.uniform(0.9, 1.1) }  // peaks differ a little day to day
        func profile(_ t: Double) -> Double {
            let h = (t.truncatingRemainder(dividingBy: 86_400)) / 3600
            let d1 = (h - peakHour) / 1.5, d2 = (h - 9) / 0.7
            let scale = dayScale[Int(t / 86_400) % 7]
            // A nightly batch job: a sharp plateau that recurs at the same time every day.
            let cron = (h >= cronHour && h < cronHour + cronLength) ? cronLift * base : 0
            return base + cron + scale * (peak * exp(-0.5 * d1 * d1) + 0.3 * peak * exp(-0.5 * d2 * d2))
        }
        var v: [Double?] = (0..<n).map { i in profile(Double(i) * 10) * (1 + noiseFrac * rng.normal()) }
        var labels: [ClosedRange<Int64>] = []
        for k in 0..<3 {
            let dayStart = (3 + k) * 8640
            // Alternate between inside the peak and off-peak.
            let hour = k == 1 ? peakHour : rng.uniform(2, 8)
            let at = dayStart + Int(hour * 360) + rng.int(-60...60)
            let len = rng.int(30...120)
            let mult = rng.uniform() < 0.75 ? rng.uniform(1.35, 1.7) : rng.uniform(0.5, 0.65)
            for i in at..<min(n, at + len) { v[i] = (v[i] ?? 0) * mult }
            labels.append((epoch + Int64(at) * 10)...(epoch + Int64(at + len) * 10))
        }
        punchGaps(&v, &rng)
        return AnomalyScenario(family: "daily_latency", seed: seed, start: epoch, values: v, season: .day,
                               anomalies: labels, mustNotPage: [])
    }

    /// Weekday/weekend traffic: daily cycle, weekend ~40% lower with 2 h ramps, a weekday-only 09:00
    /// batch; 17 days, anomalies after day 8.
    static func weekly(_ rng: inout BenchRandom, _ seed: UInt64) -> AnomalyScenario {
        let n = samples(days: 17)
        let base = rng.uniform(200, 1000), amp = rng.uniform(0.3, 0.6), weekend = rng.uniform(0.5, 0.7)
        let noiseFrac = rng.uniform(0.02, 0.04), batchLift = rng.uniform(0.4, 0.8)
        func profile(_ t: Double) -> Double {
            let dayPos = t / 86_400
            let dow = dayPos.truncatingRemainder(dividingBy: 7)
            // Days 4 and 5 of the week are the weekend; ramps of 2 h at the edges.
            let ramp = 2.0 / 24
            var w = 1.0
            if dow >= 4 - ramp && dow < 6 + ramp {
                let inW = min(1, max(0, (dow - (4 - ramp)) / ramp)) * min(1, max(0, ((6 + ramp) - dow) / ramp))
                w = 1 - (1 - weekend) * inW
            }
            let h = dayPos.truncatingRemainder(dividingBy: 1) * 24
            let cycle = 1 + amp * sin(2 * Double.pi * (h - 9) / 24)
            // Weekday-only morning batch: season=1w expects it on weekdays only.
            let batch = (dow < 4 && h >= 9 && h < 9.3) ? batchLift : 0
            return base * (w * cycle + batch)
        }
        var v: [Double?] = (0..<n).map { i in profile(Double(i) * 10) * (1 + noiseFrac * rng.normal()) }
        var labels: [ClosedRange<Int64>] = []
        for k in 0..<4 {
            let at = (8 + 2 * k) * 8640 + rng.int(0...8000)
            let len = rng.int(30...120)
            let mult = rng.uniform() < 0.5 ? rng.uniform(1.3, 1.5) : rng.uniform(0.6, 0.75)
            for i in at..<(at + len) { v[i] = (v[i] ?? 0) * mult }
            labels.append((epoch + Int64(at) * 10)...(epoch + Int64(at + len) * 10))
        }
        punchGaps(&v, &rng)
        return AnomalyScenario(family: "weekly", seed: seed, start: epoch, values: v, season: .week,
                               anomalies: labels, mustNotPage: [])
    }

    /// Mostly flat (0 or a constant) with routine bursts every 10–40 min; one sustained rise
    /// well above the usual bursts is the anomaly.
    static func flatBursts(_ rng: inout BenchRandom, _ seed: UInt64) -> AnomalyScenario {
        let n = samples(days: 4)
        let floorValue = rng.uniform() < 0.5 ? 0 : rng.uniform(1, 10)
        let burstMax = rng.uniform(20, 60)
        var v: [Double?] = Array(repeating: floorValue, count: n)
        var events: [ClosedRange<Int64>] = []
        var i = rng.int(60...240)
        while i < n - 20 {
            let len = rng.int(3...18)
            let h = burstMax * rng.uniform(0.4, 1.0)
            for k in i..<min(n, i + len) { v[k] = floorValue + h * rng.uniform(0.8, 1.0) }
            events.append((epoch + Int64(i) * 10)...(epoch + Int64(i + len) * 10))
            i += len + rng.int(60...240)
        }
        let at = Int(2.5 * 8640) + rng.int(0...3000), len = 180
        for k in at..<(at + len) { v[k] = floorValue + burstMax * rng.uniform(2.0, 2.4) }
        events.removeAll { $0.overlaps((epoch + Int64(at) * 10)...(epoch + Int64(at + len) * 10 + 1800)) }
        punchGaps(&v, &rng)
        return AnomalyScenario(family: "flat_bursts", seed: seed, start: epoch, values: v, season: .none,
                               anomalies: [(epoch + Int64(at) * 10)...(epoch + Int64(at + len) * 10)],
                               mustNotPage: events)
    }

    /// Error-count-like: Poisson with a small rate; one burst of errors at a much higher rate.
    static func counts(_ rng: inout BenchRandom, _ seed: UInt64) -> AnomalyScenario {
        let n = samples(days: 4)
        let lambda = rng.uniform(0.02, 0.5)
        var v: [Double?] = (0..<n).map { _ in rng.poisson(lambda) }
        let at = Int(rng.uniform(1.5, 3.5) * 8640), len = rng.int(60...120)
        let hi = max(3, lambda * 12)
        for k in at..<(at + len) { v[k] = rng.poisson(hi) }
        punchGaps(&v, &rng)
        return AnomalyScenario(family: "counts_near_zero", seed: seed, start: epoch, values: v, season: .none,
                               anomalies: [(epoch + Int64(at) * 10)...(epoch + Int64(at + len) * 10)],
                               mustNotPage: [])
    }
}
