@_spi(AnomalyBench) import ObsQuery
import Foundation

/// Episode-level quality of one method over the labelled set, under the paging emulation
/// `anomaly(...) > 3` with `for: 1m` at 10 s evaluations (6 consecutive scores > 3).
struct AnomalyMethodQuality: Sendable {
    var method: String
    var pages = 0
    var truePages = 0
    var anomalies = 0
    var detected = 0
    var delays: [Double] = []
    var falsePages = 0
    var mustNotPageHits = 0
    var seriesWeeks = 0.0
    var perFamily: [String: (pages: Int, falsePages: Int, anomalies: Int, detected: Int)] = [:]

    var precision: Double { pages == 0 ? 1 : Double(truePages) / Double(pages) }
    var recall: Double { anomalies == 0 ? 1 : Double(detected) / Double(anomalies) }
    var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
    var falsePagesPerWeek: Double { seriesWeeks == 0 ? 0 : Double(falsePages) / seriesWeeks }
    func delay(quantile q: Double) -> Double {
        guard !delays.isEmpty else { return .nan }
        let s = delays.sorted()
        return s[min(s.count - 1, Int((Double(s.count - 1) * q).rounded()))]
    }
}

struct AnomalyTiming: Sendable {
    var label: String
    var microsecondsPerStep: Double
    var bytesInMemory: Int
    var bytesEncoded: Int
}

struct AnomalyQualityReport: Sendable {
    var seed: UInt64
    var seriesCount: Int
    var simulatedDays: Double
    var methods: [AnomalyMethodQuality]
    var timings: [AnomalyTiming]

    var text: String {
        func f(_ x: Double, _ d: Int = 2) -> String { x.isNaN ? "–" : String(format: "%.\(d)f", x) }
        var s = "## anomaly() quality — seed \(seed), \(seriesCount) series, \(f(simulatedDays, 0)) simulated days\n\n"
        s += "Paging: score > 3 for 6 consecutive 10 s evaluations (`for: 1m`). Baseline 1h, direction=both;\n"
        s += "season=1d for daily_latency, 1w for weekly, none elsewhere.\n\n"
        s += "| method | pages | precision | recall | F1 | delay median s | delay p95 s | false pages / series-week | must-not-page hits |\n"
        s += "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        for m in methods {
            s += "| \(m.method) | \(m.pages) | \(f(m.precision)) | \(f(m.recall)) | \(f(m.f1)) | \(f(m.delay(quantile: 0.5), 0)) | \(f(m.delay(quantile: 0.95), 0)) | \(f(m.falsePagesPerWeek)) | \(m.mustNotPageHits) |\n"
        }
        s += "\n### By family: false pages · detected/labelled\n\n| family |"
        for m in methods { s += " \(m.method.split(separator: " ").first ?? "") |" }
        s += "\n|---|" + String(repeating: "---:|", count: methods.count) + "\n"
        let families = Set(methods.flatMap { $0.perFamily.keys }).sorted()
        for fam in families {
            s += "| \(fam) |"
            for m in methods {
                let v = m.perFamily[fam] ?? (0, 0, 0, 0)
                s += v.anomalies == 0 ? " \(v.falsePages) |" : " \(v.falsePages) · \(v.detected)/\(v.anomalies) |"
            }
            s += "\n"
        }
        s += "\n### Cost (release build, one series, steady state)\n\n| parameters | µs per observe+score | bytes in memory | bytes encoded |\n|---|---:|---:|---:|\n"
        for t in timings {
            s += "| \(t.label) | \(f(t.microsecondsPerStep)) | \(t.bytesInMemory) | \(t.bytesEncoded) |\n"
        }
        return s
    }
}

struct PageEpisode {
    var fire: Int64
    var end: Int64
}

/// The labelled set through each method, paged as a rule `> 3` with `for: 1m` would page.
enum AnomalyQualityEvaluation {
    /// Pages start at the 6th consecutive score > 3 and last while the score stays > 3.
    static func pages(scores: [Double?], scenario: AnomalyScenario, threshold: Double = 3, hold: Int = 6) -> [PageEpisode] {
        var out: [PageEpisode] = []
        var run = 0
        for (i, s) in scores.enumerated() {
            if let s, s > threshold {
                run += 1
                if run == hold { out.append(PageEpisode(fire: scenario.time(i), end: scenario.time(i))) }
                else if run > hold { out[out.count - 1].end = scenario.time(i) }
            } else {
                run = 0
            }
        }
        return out
    }

    static func evaluate(_ method: inout some AnomalyScoringMethod, on set: [AnomalyScenario]) throws(AnomalyParameters.ValidationError) -> AnomalyMethodQuality {
        var q = AnomalyMethodQuality(method: method.name)
        for sc in set {
            let params = try AnomalyParameters(baselineSeconds: 3600, season: sc.season, direction: .both)
            let sc0 = method.scores(for: sc, parameters: params)
            let ps = pages(scores: sc0, scenario: sc)
            var fam = q.perFamily[sc.family] ?? (0, 0, 0, 0)
            q.pages += ps.count
            fam.pages += ps.count
            for p in ps {
                if sc.anomalies.contains(where: { p.fire <= $0.upperBound && p.end >= $0.lowerBound }) {
                    q.truePages += 1
                } else {
                    q.falsePages += 1
                    fam.falsePages += 1
                    if sc.mustNotPage.contains(where: { p.fire <= $0.upperBound + 60 && p.end >= $0.lowerBound }) {
                        q.mustNotPageHits += 1
                    }
                }
            }
            for a in sc.anomalies {
                q.anomalies += 1
                fam.anomalies += 1
                if let p = ps.first(where: { $0.fire <= a.upperBound && $0.end >= a.lowerBound }) {
                    q.detected += 1
                    fam.detected += 1
                    q.delays.append(Double(max(0, p.fire - a.lowerBound)))
                }
            }
            q.perFamily[sc.family] = fam
            q.seriesWeeks += Double(sc.durationSeconds) / 604_800
        }
        return q
    }

    /// Steady-state cost: a detector with full seasonal history, then `steps` live evaluations.
    static func measureTiming(season: AnomalyParameters.Season, steps: Int = 20_000) throws(AnomalyParameters.ValidationError) -> AnomalyTiming {
        let params = try AnomalyParameters(baselineSeconds: 3600, season: season)
        var rng = BenchRandom(seed: 42)
        let start: Int64 = AnomalySyntheticSet.epoch + params.lookbackSeconds + 86_400
        var d = AnomalyDetector(parameters: params)
        for t in params.sampleTimes(after: nil, scoring: [start]) {
            d.observe(100 + rng.normal(), at: t)
        }
        let values = (0..<steps).map { _ in 100 + rng.normal() }
        var sink = 0.0
        let t0 = DispatchTime.now().uptimeNanoseconds
        for i in 0..<steps {
            let t = start + Int64(i) * 10
            sink += d.score(values[i], at: t) ?? 0
            d.observe(values[i], at: t)
        }
        let t1 = DispatchTime.now().uptimeNanoseconds
        if sink.isNaN { print("unreachable") }
        let mem = MemoryLayout<AnomalyDetector>.size + 2 * 32
            + 8 * (params.fineCapacityForReport + params.seasonalCapacityForReport)
        return AnomalyTiming(
            label: "baseline=1h, season=\(season.rawValue)",
            microsecondsPerStep: Double(t1 - t0) / 1000 / Double(steps),
            bytesInMemory: mem, bytesEncoded: d.encoded().count)
    }

    /// Every method over the set of `seed`; `includeAblations` adds the variants of the shipped
    /// detector (each one knob changed) and the ensemble.
    static func run(seed: UInt64, includeAblations: Bool = true) throws(AnomalyParameters.ValidationError) -> AnomalyQualityReport {
        let set = AnomalySyntheticSet.generate(seed: seed)
        var results: [AnomalyMethodQuality] = []
        var a = MedianMADMethod()
        results.append(try evaluate(&a, on: set))
        var b = SeasonalMedianMethod()
        results.append(try evaluate(&b, on: set))
        var c = DetectorMethod(name: "C shipped: seasonal residual, median of 5, tail floor", tuning: .init())
        results.append(try evaluate(&c, on: set))
        if includeAblations {
            for (name, tuning) in ablations() {
                var m = DetectorMethod(name: name, tuning: tuning)
                results.append(try evaluate(&m, on: set))
            }
            var e = MinEnsembleMethod()
            results.append(try evaluate(&e, on: set))
        }
        let timings = [try measureTiming(season: .none), try measureTiming(season: .day), try measureTiming(season: .week)]
        let days = set.reduce(0.0) { $0 + Double($1.durationSeconds) / 86_400 }
        return AnomalyQualityReport(seed: seed, seriesCount: set.count, simulatedDays: days,
                                    methods: results, timings: timings)
    }

    /// Variants of the shipped detector, each changing one knob, to show what each part buys.
    static func ablations() -> [(String, AnomalyDetector.Tuning)] {
        var out: [(String, AnomalyDetector.Tuning)] = []
        func variant(_ name: String, _ change: (inout AnomalyDetector.Tuning) -> Void) {
            var t = AnomalyDetector.Tuning()
            change(&t)
            out.append((name, t))
        }
        variant("C1 no smoothing") { $0.smoothing = 1 }
        variant("C2 median of 3") { $0.smoothing = 3 }
        variant("C3 no tail floor") { $0.tailQuantile = nil }
        variant("C4 no season model") { $0.useSeason = false }
        return out
    }
}
