import ObsQuery
import Foundation

/// SplitMix64 + Box–Muller, seeded, so every test series is reproducible.
struct TestRNG {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
    mutating func gaussian() -> Double {
        let u1 = max(uniform(), 0x1p-60), u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}

/// Midnight UTC, so seasonal slots line up with the hours used in the tests.
let t0: Int64 = 1_699_920_000
let step = AnomalyParameters.sampleStep

func params(_ baseline: Int64 = 3600, _ season: AnomalyParameters.Season = .none,
            _ direction: AnomalyParameters.Direction = .both, minHistory: Int64? = nil) -> AnomalyParameters {
    // Test inputs are valid by construction; a failure here fails the test via the trap message.
    do { return try AnomalyParameters(baselineSeconds: baseline, season: season, direction: direction,
                                      minHistorySeconds: minHistory) }
    catch { preconditionFailure("\(error)") }
}

/// Live-engine protocol: score t, then observe t.
func liveScores(_ values: [Double?], _ p: AnomalyParameters, start: Int64 = t0) -> [Double?] {
    var d = AnomalyDetector(parameters: p)
    var out: [Double?] = []
    out.reserveCapacity(values.count)
    for (i, v) in values.enumerated() {
        let t = start + Int64(i) * step
        out.append(d.score(v, at: t))
        d.observe(v, at: t)
    }
    return out
}

/// Indices at which a `for: 1m` rule on `score > 3` would start firing.
func pageIndices(_ scores: [Double?], threshold: Double = 3, hold: Int = 6) -> [Int] {
    var run = 0
    var out: [Int] = []
    for (i, s) in scores.enumerated() {
        if let s, s > threshold { run += 1; if run == hold { out.append(i) } } else { run = 0 }
    }
    return out
}

func noise(_ n: Int, level: Double = 100, sigma: Double = 1, seed: UInt64) -> [Double?] {
    var r = TestRNG(seed)
    return (0..<n).map { _ in level + sigma * r.gaussian() }
}

let perHour = 360
let perDay = 8640
