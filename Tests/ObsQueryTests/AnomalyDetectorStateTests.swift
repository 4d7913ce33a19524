import ObsQuery
import Foundation
import Testing

@Suite struct AnomalyDetectorStateTests {
    /// Series with a daily shape, noise and holes, so every code path (season, gaps) is used.
    func series(days: Int, seed: UInt64) -> [Double?] {
        var r = TestRNG(seed)
        return (0..<(days * perDay)).map { i -> Double? in
            if r.uniform() < 0.01 { return nil }
            if (i / 500) % 37 == 5 { return nil }  // periodic longer gaps
            let h = Double(i % perDay) / Double(perHour)
            return 50 + 20 * sin(h / 24 * 2 * .pi) + r.gaussian()
        }
    }

    func value(_ v: [Double?], at t: Int64) -> Double? {
        let i = Int((t - t0) / step)
        return i >= 0 && i < v.count ? v[i] : nil
    }

    /// Scores at `times` from a detector fed only the planned samples (a rebuild).
    func rebuiltScores(_ v: [Double?], _ p: AnomalyParameters, times: [Int64]) -> [Double?] {
        var d = AnomalyDetector(parameters: p)
        let plan = p.sampleTimes(after: nil, scoring: times)
        var k = 0
        var out: [Double?] = []
        for t in times {
            while k < plan.count && plan[k] < t { d.observe(value(v, at: plan[k]), at: plan[k]); k += 1 }
            out.append(d.score(value(v, at: t), at: t))
            if t % step == 0 { d.observe(value(v, at: t), at: t) }
        }
        return out
    }

    @Test(arguments: [AnomalyParameters.Season.none, .day, .week])
    func rebuildFromSampleTimesIsBitIdentical(season: AnomalyParameters.Season) {
        let days = season == .week ? 9 : 4
        let v = series(days: days, seed: 11)
        let p = params(3600, season)
        let live = liveScores(v, p)
        // Scoring times: a run of grid times near the end, plus off-grid times.
        let end = t0 + Int64(v.count - 1) * step
        var times: [Int64] = (0..<60).map { end - 5 * 3600 + Int64($0) * 10 }
        times += [end - 3600 + 3, end - 1800 + 7, end - 5]
        let rebuilt = rebuiltScores(v, p, times: times)
        var checked = 0
        for (t, s) in zip(times, rebuilt) where t % step == 0 {
            let i = Int((t - t0) / step)
            #expect(s?.bitPattern == live[i]?.bitPattern, "t=\(t)")
            if s != nil { checked += 1 }
        }
        #expect(checked > 50)
        // Off-grid scoring times: compare against a detector fed every sample before t.
        for (t, s) in zip(times, rebuilt) where t % step != 0 {
            var full = AnomalyDetector(parameters: p)
            var g = t0
            while g < t { full.observe(value(v, at: g), at: g); g += step }
            #expect(full.score(value(v, at: t), at: t)?.bitPattern == s?.bitPattern)
            #expect(s != nil)
        }
        // A rebuild touches far fewer samples than the history it replaces.
        let plan = p.sampleTimes(after: nil, scoring: [end])
        #expect(plan.count < Int(p.fineSpanSeconds / step) + Int(p.lookbackSeconds / max(1, p.seasonalStep)) + 2)
    }

    @Test func incrementalSampleTimesContinueExactly() {
        let v = series(days: 3, seed: 12)
        let p = params(3600, .day)
        let live = liveScores(v, p)
        let a: [Int64] = (0..<30).map { t0 + 2 * 86_400 + Int64($0) * 60 }  // every minute
        let b: [Int64] = (0..<30).map { a.last! + 600 + Int64($0) * 60 }
        var d = AnomalyDetector(parameters: p)
        var fed: Int64? = nil
        for batch in [a, b] {
            #expect(p.needsRebuild(fedThrough: fed, firstScoringTime: batch[0]) == (fed == nil))
            let plan = p.sampleTimes(after: fed, scoring: batch)
            if let fed { #expect(plan.allSatisfy { $0 > fed }) }
            var k = 0
            for t in batch {
                while k < plan.count && plan[k] < t { d.observe(value(v, at: plan[k]), at: plan[k]); fed = plan[k]; k += 1 }
                let s = d.score(value(v, at: t), at: t)
                #expect(s?.bitPattern == live[Int((t - t0) / step)]?.bitPattern)
                d.observe(value(v, at: t), at: t)
                fed = t
            }
        }
        #expect(p.needsRebuild(fedThrough: b.last!, firstScoringTime: a[0]))
        #expect(p.needsRebuild(fedThrough: t0, firstScoringTime: t0 + p.lookbackSeconds + 10))
    }

    @Test func appendingFuturePointsNeverChangesPastScores() {
        let v = series(days: 2, seed: 13)
        let p = params(3600, .day)
        let full = liveScores(v, p)
        let cut = perDay + 777
        var altered = Array(v[..<cut])
        var r = TestRNG(99)
        altered += (0..<5000).map { _ in 1e6 * r.gaussian() }
        let prefix = liveScores(altered, p)
        for i in 0..<cut { #expect(prefix[i]?.bitPattern == full[i]?.bitPattern) }
        // Observing t before scoring t must not change the score of t either.
        var d = AnomalyDetector(parameters: p)
        for i in 0..<cut { d.observe(v[i], at: t0 + Int64(i) * step) }
        let t = t0 + Int64(cut - 1) * step
        #expect(d.score(v[cut - 1], at: t)?.bitPattern == full[cut - 1]?.bitPattern)
    }

    @Test(arguments: [AnomalyParameters.Season.none, .day, .week])
    func encodeDecodeRoundTripGivesIdenticalScores(season: AnomalyParameters.Season) throws {
        let v = series(days: 2, seed: 14)
        let p = params(3600, season)
        var d = AnomalyDetector(parameters: p)
        for i in 0..<(v.count - 100) { d.observe(v[i], at: t0 + Int64(i) * step) }
        let bytes = d.encoded()
        var e = try AnomalyDetector(decoding: bytes, parameters: p)
        #expect(e == d)
        #expect(e.encoded() == bytes)
        for i in (v.count - 100)..<v.count {
            let t = t0 + Int64(i) * step
            #expect(d.score(v[i], at: t)?.bitPattern == e.score(v[i], at: t)?.bitPattern)
            d.observe(v[i], at: t)
            e.observe(v[i], at: t)
        }
        let fresh = AnomalyDetector(parameters: p)
        #expect(try AnomalyDetector(decoding: fresh.encoded(), parameters: p) == fresh)
    }

    @Test func garbageDecodingThrowsAndNeverCrashes() {
        let p = params(3600, .day)
        var d = AnomalyDetector(parameters: p)
        for i in 0..<2000 { d.observe(Double(i), at: t0 + Int64(i) * step) }
        let good = d.encoded()
        #expect(throws: AnomalyStateDecodingError.self) { try AnomalyDetector(decoding: [], parameters: p) }
        #expect(throws: AnomalyStateDecodingError.unsupportedVersion(9)) {
            try AnomalyDetector(decoding: [9] + good.dropFirst(), parameters: p)
        }
        #expect(throws: AnomalyStateDecodingError.parameterMismatch) {
            try AnomalyDetector(decoding: good, parameters: params(7200, .day))
        }
        #expect(throws: AnomalyStateDecodingError.truncated) {
            try AnomalyDetector(decoding: Array(good.dropLast()), parameters: p)
        }
        #expect(throws: AnomalyStateDecodingError.trailingBytes) {
            try AnomalyDetector(decoding: good + [0], parameters: p)
        }
        // Random bytes and random single-byte corruptions: must either throw or decode; never trap.
        var r = TestRNG(15)
        for _ in 0..<300 {
            let junk = (0..<Int(r.next() % 300)).map { _ in UInt8(truncatingIfNeeded: r.next()) }
            #expect(throws: AnomalyStateDecodingError.self) { try AnomalyDetector(decoding: junk, parameters: p) }
            var bad = good
            bad[Int(r.next() % UInt64(bad.count))] ^= UInt8(truncatingIfNeeded: r.next() | 1)
            if let e = try? AnomalyDetector(decoding: bad, parameters: p) {
                let s = e.score(5, at: t0 + 2000 * step)
                #expect(s == nil || (s!.isFinite && s! >= 0))
            }
        }
    }

    @Test func nanInfinityConstantAndGapSeriesHaveDefinedScores() {
        let p = params()
        // NaN / ±Inf are nil samples and nil scores.
        var d = AnomalyDetector(parameters: p)
        for i in 0..<800 { d.observe(i % 3 == 0 ? .nan : (i % 3 == 1 ? .infinity : 7), at: t0 + Int64(i) * step) }
        let t = t0 + 800 * step
        #expect(d.score(.nan, at: t) == nil)
        #expect(d.score(-.infinity, at: t) == nil)
        #expect(d.score(nil, at: t) == nil)
        #expect(d.score(7, at: t) == 0, "constant series, same value")
        // Constant series: the scale floor keeps scores finite and capped.
        let c = liveScores(Array(repeating: 42, count: 800), p)
        #expect(c.compactMap { $0 }.allSatisfy { $0 == 0 })
        // A constant series that moves: the lone first new sample is smoothed away, the second scores
        // against the floor (1e-9 relative) and is capped.
        func afterConstant(_ c: Double, _ new: Double) -> (first: Double?, second: Double?) {
            var k = AnomalyDetector(parameters: p)
            for i in 0..<800 { k.observe(c, at: t0 + Int64(i) * step) }
            let first = k.score(new, at: t0 + 800 * step)
            k.observe(new, at: t0 + 800 * step)
            return (first, k.score(new, at: t0 + 810 * step))
        }
        #expect(afterConstant(42, 43).first == 0)
        #expect(afterConstant(42, 43).second == 1000)
        #expect(afterConstant(42, 42.000_001).second.map { $0 > 3 && $0 < 1000 } == true)
        #expect(afterConstant(42, 1e300).second == 1000)
        #expect(afterConstant(-1e308, 1e308).second == 1000)
        #expect(afterConstant(0, 0).second == 0)
        #expect(afterConstant(0, 1).second == 1000)
        // Gappy series: every score is nil or finite and non-negative.
        var r = TestRNG(16)
        let gappy: [Double?] = (0..<3000).map { i in (i / 200) % 3 == 1 || r.uniform() < 0.3 ? nil : r.gaussian() }
        for s in liveScores(gappy, p) { #expect(s == nil || (s!.isFinite && s! >= 0)) }
        #expect(liveScores(gappy, p).compactMap { $0 }.count > 500)
    }

    @Test func noScoreBeforeMinHistory() {
        let v = noise(3 * perHour, seed: 17)
        let s = liveScores(v, params())
        #expect(s[..<perHour].allSatisfy { $0 == nil })
        #expect(s[perHour...].allSatisfy { $0 != nil })
        let short = liveScores(v, params(3600, minHistory: 600))
        #expect(short[..<60].allSatisfy { $0 == nil })
        #expect(short[60...].allSatisfy { $0 != nil })
        // A missing sample exactly at t − baseline does not switch scoring off.
        var holes = v
        holes[10] = nil
        let h = liveScores(holes, params())
        #expect(h[perHour + 10] != nil)
        // min_history beyond the baseline needs the seasonal store.
        let longer = liveScores(v, params(3600, .day, minHistory: 7200))
        #expect(longer[..<(2 * perHour)].allSatisfy { $0 == nil })
        #expect(longer[(2 * perHour + 30)...].allSatisfy { $0 != nil })
    }

    @Test func isEmptyTracksTheLookback() {
        let p = params()
        var d = AnomalyDetector(parameters: p)
        #expect(d.isEmpty(at: t0))
        d.observe(1, at: t0)
        #expect(!d.isEmpty(at: t0))
        #expect(!d.isEmpty(at: t0 + p.lookbackSeconds))
        #expect(d.isEmpty(at: t0 + p.lookbackSeconds + 10))
        d.observe(nil, at: t0 + 10)
        #expect(!d.isEmpty(at: t0 + 20))
    }

    @Test func parameterValidation() {
        #expect(throws: AnomalyParameters.ValidationError.self) { try AnomalyParameters(baselineSeconds: 50) }
        #expect(throws: AnomalyParameters.ValidationError.self) { try AnomalyParameters(baselineSeconds: 65) }
        #expect(throws: AnomalyParameters.ValidationError.self) {
            try AnomalyParameters(baselineSeconds: 3600, minHistorySeconds: 3600 * 5)
        }
        #expect(throws: AnomalyParameters.ValidationError.self) {
            try AnomalyParameters(baselineSeconds: 3600, minHistorySeconds: -1)
        }
        let ok = params(3600, .day, minHistory: 2 * 86_400)
        #expect(ok.minHistorySeconds == 2 * 86_400)
        #expect(params().minHistorySeconds == 3600)
        #expect(params().lookbackSeconds == 3600 + 360)
        #expect(params(3600, .day).lookbackSeconds == 3600 + 7 * 86_400 + 600)
        #expect(params(3600, .week).lookbackSeconds == 3600 + 3 * 604_800 + 1200)
    }
}
