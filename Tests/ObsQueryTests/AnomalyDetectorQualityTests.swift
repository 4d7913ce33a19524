import ObsQuery
import Foundation
import Testing

@Suite struct AnomalyDetectorQualityTests {
    @Test func levelShiftPagesThenAdaptsWithinHalfBaseline() {
        var v = noise(perDay, seed: 1)
        let at = 10 * perHour
        for i in at..<v.count { v[i] = v[i]! + 10 }
        let s = liveScores(v, params())
        let pages = pageIndices(s)
        #expect(pages.first.map { $0 >= at && $0 <= at + 12 } == true, "pages within 2 min: \(pages)")
        // Adapted: from baseline/2 after the shift on, nothing scores above 3.
        let late = s[(at + perHour / 2)...].compactMap { $0 }.max() ?? 0
        #expect(late <= 3)
        #expect(pages.allSatisfy { $0 < at + perHour / 2 })
    }

    @Test func spikeOfAFewMinutesPages() {
        var v = noise(perDay / 2, seed: 2)
        let at = 5 * perHour
        for i in at..<(at + 18) { v[i] = v[i]! + 8 }  // 3 minutes, +8σ
        let pages = pageIndices(liveScores(v, params()))
        #expect(pages.count == 1)
        #expect(pages.first.map { $0 > at && $0 < at + 18 } == true)
    }

    @Test func slowDriftDoesNotPage() {
        var r = TestRNG(3)
        // 20σ over a day: the level moves ~0.4σ per half baseline.
        let v: [Double?] = (0..<(2 * perDay)).map { i in 100 + 20 * Double(i) / Double(perDay) + r.gaussian() }
        #expect(pageIndices(liveScores(v, params())).isEmpty)
    }

    /// Intended behaviour: a variance increase is news only until the baseline has absorbed it
    /// (no score above 3 once a full baseline of the new regime is in the window); a variance
    /// decrease never pages (the old, wider scale only makes scores smaller).
    @Test func varianceChangeIsAbsorbedAndDecreaseNeverPages() {
        var r = TestRNG(4)
        let up = 6 * perHour, down = 18 * perHour
        let v: [Double?] = (0..<perDay).map { i in 100 + ((i >= up && i < down) ? 5 : 1) * r.gaussian() }
        let s = liveScores(v, params())
        let pages = pageIndices(s)
        #expect(pages.allSatisfy { $0 >= up && $0 < up + perHour })
        let settled = s[(up + perHour)..<down].compactMap { $0 }
        #expect(settled.filter { $0 > 3 }.count < settled.count / 200, "rare excursions only")
        #expect(pageIndices(Array(s[down...])).isEmpty)
    }

    /// Latency-like daily profile (+150% afternoon peak). season=1d after 3 days must not page on
    /// the peak, and must page on a +40% shift inside the peak on day 4.
    @Test func dailySeasonalityPagesForAnomalyNotForPeak() {
        var r = TestRNG(5)
        func profile(_ i: Int) -> Double {
            let h = Double(i % perDay) / Double(perHour)
            let d = (h - 14) / 1.5
            return 100 + 150 * exp(-0.5 * d * d)
        }
        var v: [Double?] = (0..<(5 * perDay)).map { i in profile(i) * (1 + 0.02 * r.gaussian()) }
        let at = 4 * perDay + 14 * perHour
        for i in at..<(at + 60) { v[i] = v[i]! * 1.4 }
        let seasonal = pageIndices(liveScores(v, params(3600, .day)))
        let afterWarmup = seasonal.filter { $0 >= 3 * perDay }
        #expect(afterWarmup.count == 1, "\(afterWarmup)")
        #expect(afterWarmup.first.map { $0 >= at && $0 < at + 60 } == true)
    }

    @Test func noiseOnlyForAWeekNeverScoresAboveThree() {
        let s = liveScores(noise(7 * perDay, seed: 6), params())
        let maxScore = s.compactMap { $0 }.max() ?? 0
        #expect(maxScore <= 3, "max \(maxScore)")
        #expect(s.compactMap { $0 }.count > 7 * perDay - perHour - 20)
    }

    @Test func singleOutlierDoesNotPageOrScore() {
        var v = noise(4 * perHour, seed: 7)
        let at = 2 * perHour
        v[at] = 200
        let s = liveScores(v, params())
        #expect(pageIndices(s).isEmpty)
        #expect((s[at] ?? 99) < 3, "the median of three hides a lone outlier")
    }

    @Test func flatSeriesRoutineBurstsDoNotPageSustainedRiseDoes() {
        var r = TestRNG(8)
        var v: [Double?] = Array(repeating: 0, count: perDay)
        var i = 100
        while i < perDay - 40 {  // 1–2 min bursts of 30–40 every ~20 min
            let len = 6 + Int(r.uniform() * 7), h = 30 + 10 * r.uniform()
            for k in i..<(i + len) { v[k] = h }
            i += len + 100 + Int(r.uniform() * 40)
        }
        let quiet = pageIndices(liveScores(v, params()))
        #expect(quiet.isEmpty, "routine bursts paged at \(quiet)")
        let at = 12 * perHour + 5
        for k in at..<(at + 120) { v[k] = 90 }
        let rise = pageIndices(liveScores(v, params()))
        #expect(rise.contains { $0 >= at && $0 < at + 12 }, "\(rise)")
    }

    @Test func directionRestrictsSide() {
        var v = noise(3 * perHour, seed: 9)
        for k in (2 * perHour)..<(2 * perHour + 30) { v[k] = v[k]! - 10 }
        #expect(pageIndices(liveScores(v, params(3600, .none, .up))).isEmpty)
        #expect(pageIndices(liveScores(v, params(3600, .none, .down))).count == 1)
        #expect(pageIndices(liveScores(v, params(3600, .none, .both))).count == 1)
    }
}
