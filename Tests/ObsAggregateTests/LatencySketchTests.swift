import Foundation
import ObsTesting
import Testing

@testable import ObsAggregate

@Suite struct LatencySketchTests {
    /// The quantiles every accuracy check covers: p1, p2, …, p99 and p99.9.
    static let checkedQuantiles: [Double] = (1...99).map { Double($0) / 100 } + [0.999]
    /// α plus room for floating-point rounding at bin boundaries (~1e-15 in practice).
    static let allowedRelativeError = LatencySketch.relativeAccuracy + 1e-9

    /// "p50", "p99.9": how failure messages name a quantile.
    static func label(_ q: Double) -> String {
        let tenths = Int((q * 1000).rounded())
        return tenths % 10 == 0 ? "p\(tenths / 10)" : "p\(tenths / 10).\(tenths % 10)"
    }

    // MARK: - Accuracy

    @Test(arguments: SampleDistribution.allCases)
    func quantilesAreWithinOnePercentOfExactValues(distribution: SampleDistribution) throws {
        var random = SplitMix64(seed: distribution.seed)
        var samples = (0..<1_000_000).map { _ in distribution.sample(&random) }
        var sketch = LatencySketch()
        for sample in samples { sketch.add(sample) }
        #expect(sketch.count == 1_000_000)
        #expect(sketch.sum == samples.reduce(0, +), "same additions in the same order: bit-exact")
        samples.sort()
        #expect(sketch.min == samples.first && sketch.max == samples.last)

        for q in Self.checkedQuantiles {
            let exact = samples[Int((q * Double(samples.count - 1)).rounded(.down))]
            let estimate = try #require(sketch.quantile(q))
            let error = abs(estimate - exact) / exact
            #expect(
                error <= Self.allowedRelativeError,
                "\(distribution) \(Self.label(q)): sketch \(estimate), exact \(exact), relative error \(error)")
        }
        #expect(sketch.quantile(0) == samples.first, "\(distribution) p0 must be the exact minimum")
        #expect(sketch.quantile(1) == samples.last, "\(distribution) p100 must be the exact maximum")
    }

    @Test func constantDistributionIsExactAtEveryQuantile() {
        var sketch = LatencySketch()
        for _ in 0..<1000 { sketch.add(42.0) }
        for q in [0, 0.001, 0.25, 0.5, 0.9, 0.99, 0.999, 1] {
            #expect(sketch.quantile(q) == 42.0, "\(Self.label(q))")
        }
    }

    @Test func countSumMinAndMaxAreExact() {
        var sketch = LatencySketch()
        let values: [Double] = [3.5, 0.25, 1200, 0, 7, 7, 99.125, 0.0000001]
        for value in values { sketch.add(value) }
        #expect(sketch.count == UInt64(values.count))
        #expect(sketch.sum == values.reduce(0, +))
        #expect(sketch.min == 0)
        #expect(sketch.max == 1200)
        #expect(!sketch.isEmpty)
    }

    @Test func invalidAndTinyValuesAreHandledAsDocumented() throws {
        var sketch = LatencySketch()
        sketch.add(.nan)
        sketch.add(.infinity)
        #expect(sketch.isEmpty, "NaN and +infinity are ignored")

        sketch.add(-5)
        sketch.add(-.infinity)
        sketch.add(-0.0)
        #expect(sketch.count == 3)
        #expect(sketch.zeroCount == 3, "negative values count as 0")
        #expect(sketch.sum == 0)
        #expect(sketch.min == 0 && sketch.max == 0)
        #expect(sketch.quantile(0.5) == 0)

        var tiny = LatencySketch()
        for value in [5e-7, 1e-6, 2e-6, 3e-6] { tiny.add(value) }
        #expect(tiny.zeroCount == 2, "values at or below 1 ns go to the zero bucket")
        #expect(tiny.quantile(0) == 5e-7)
        let rankOne = try #require(tiny.quantile(1.0 / 3))
        #expect(rankOne >= 5e-7 && rankOne <= 1e-6, "zero-bucket estimates stay within 1 ns")
        let rankTwo = try #require(tiny.quantile(2.0 / 3))
        #expect(abs(rankTwo - 2e-6) / 2e-6 <= Self.allowedRelativeError)
    }

    @Test func quantileArgumentIsClampedAndNaNGivesNil() {
        var sketch = LatencySketch()
        for value in [10.0, 20, 30] { sketch.add(value) }
        #expect(sketch.quantile(-1) == 10)
        #expect(sketch.quantile(7) == 30)
        #expect(sketch.quantile(.nan) == nil)
    }

    @Test func maxBinsIsClampedToItsDocumentedRange() {
        var huge = LatencySketch(maxBins: .max)
        #expect(huge.maxBins == LatencySketch.maxBinsLimit)
        for value in [1e-5, 1e300, 0.5] { huge.add(value) }
        #expect(huge.count == 3)
        #expect(huge.quantile(1) == 1e300)
        #expect(LatencySketch(maxBins: 0).maxBins == 1)
        #expect(LatencySketch(maxBins: -5).maxBins == 1)
    }

    @Test func emptySketchHasNoQuantilesAndMergingWithItChangesNothing() {
        let empty = LatencySketch()
        #expect(empty.isEmpty)
        #expect(empty.count == 0)
        #expect(empty.quantile(0.5) == nil)
        #expect(empty.quantile(0) == nil)
        #expect(empty.min == .infinity && empty.max == -.infinity)

        var random = SplitMix64(seed: 7)
        var sketch = LatencySketch()
        for _ in 0..<10_000 { sketch.add(SampleDistribution.logNormal.sample(&random)) }
        var mergedIntoFull = sketch
        mergedIntoFull.merge(empty)
        #expect(mergedIntoFull == sketch)
        #expect(mergedIntoFull.sum.bitPattern == sketch.sum.bitPattern)
        var mergedIntoEmpty = empty
        mergedIntoEmpty.merge(sketch)
        #expect(mergedIntoEmpty == sketch)
        #expect(mergedIntoEmpty.sum.bitPattern == sketch.sum.bitPattern)
        var emptyMergedWithEmpty = empty
        emptyMergedWithEmpty.merge(empty)
        #expect(emptyMergedWithEmpty == empty)
        #expect(emptyMergedWithEmpty.sum == 0)
    }

    // MARK: - Merge

    @Test func mergingPerMinuteSketchesEqualsOneSketchOfAllSamples() throws {
        var random = SplitMix64(seed: 360)
        let samples = (0..<(360 * 2800)).map { index in
            // Shift the distribution across the "hour" so the parts differ in range.
            let distribution = SampleDistribution.allCases[index / 2800 % 3]
            return distribution.sample(&random)
        }
        var whole = LatencySketch()
        for sample in samples { whole.add(sample) }
        let parts = (0..<360).map { part in
            var sketch = LatencySketch()
            for sample in samples[(part * 2800)..<((part + 1) * 2800)] { sketch.add(sample) }
            return sketch
        }

        var merged = LatencySketch()
        for part in parts { merged.merge(part) }
        #expect(merged == whole)
        #expect(merged.count == UInt64(samples.count))
        #expect(abs(merged.sum - whole.sum) <= 1e-9 * whole.sum, "sums differ only by rounding")

        // Pairwise (tree-shaped) merging must give the same result as a running merge.
        var level = parts
        while level.count > 1 {
            level = stride(from: 0, to: level.count, by: 2).map { start in
                var pair = level[start]
                if start + 1 < level.count { pair.merge(level[start + 1]) }
                return pair
            }
        }
        #expect(level[0] == whole)

        for q in [0, 0.5, 0.9, 0.95, 0.99, 0.999, 1] + Self.checkedQuantiles {
            #expect(merged.quantile(q) == whole.quantile(q), "\(Self.label(q))")
        }
    }

    @Test func mergingSketchesWithDifferentMaxBinsKeepsTheSmallerBound() {
        var wide = LatencySketch()
        var narrow = LatencySketch(maxBins: 100)
        for exponent in -3...6 { wide.add(pow(10, Double(exponent))) }
        narrow.add(5)
        wide.merge(narrow)
        #expect(wide.maxBins == 100)
        #expect(wide.binCount <= 100)
        #expect(wide.count == 11)
        #expect(wide.quantile(1) == 1e6)

        var emptyNarrow = LatencySketch(maxBins: 10)
        emptyNarrow.merge(wide)
        #expect(emptyNarrow.maxBins == 10)
        #expect(emptyNarrow.binCount <= 10)
    }

    // MARK: - Collapsing

    @Test func collapsingKeepsBinsBoundedAndHighQuantilesAccurate() throws {
        let maxBins = 64
        var random = SplitMix64(seed: 64)
        // Log-uniform over 12 decades: about 1380 bins' worth of range.
        var samples = (0..<200_000).map { _ in pow(10, -3 + 12 * random.nextUnitInterval()) }

        var inArrivalOrder = LatencySketch(maxBins: maxBins)
        for sample in samples {
            inArrivalOrder.add(sample)
            if inArrivalOrder.binCount > maxBins { break }
        }
        #expect(inArrivalOrder.binCount <= maxBins)
        #expect(inArrivalOrder.count == UInt64(samples.count))

        var parts = [LatencySketch](repeating: LatencySketch(maxBins: maxBins), count: 16)
        for (index, sample) in samples.enumerated() { parts[index % 16].add(sample) }
        var merged = LatencySketch(maxBins: maxBins)
        for part in parts {
            merged.merge(part)
            #expect(merged.binCount <= maxBins)
        }

        samples.sort()
        var ascending = LatencySketch(maxBins: maxBins)
        for sample in samples { ascending.add(sample) }
        var descending = LatencySketch(maxBins: maxBins)
        for sample in samples.reversed() { descending.add(sample) }

        // Collapsed state depends only on the values: everything below the top 64 bins is in
        // the lowest kept bin, whatever the order of adds and merges.
        #expect(ascending == inArrivalOrder)
        #expect(descending == inArrivalOrder)
        #expect(merged == inArrivalOrder)

        for q in [0.99, 0.995, 0.999] {
            let exact = samples[Int((q * Double(samples.count - 1)).rounded(.down))]
            let estimate = try #require(inArrivalOrder.quantile(q))
            let error = abs(estimate - exact) / exact
            #expect(error <= Self.allowedRelativeError, "\(Self.label(q)): sketch \(estimate), exact \(exact)")
        }
        // Documented limit: quantiles below the kept range are overestimated, never under.
        for q in [0.01, 0.1, 0.5] {
            let exact = samples[Int((q * Double(samples.count - 1)).rounded(.down))]
            let estimate = try #require(inArrivalOrder.quantile(q))
            #expect(estimate >= exact * (1 - LatencySketch.relativeAccuracy), "\(Self.label(q))")
        }
        let exactP1 = samples[Int((0.01 * Double(samples.count - 1)).rounded(.down))]
        let estimateP1 = try #require(inArrivalOrder.quantile(0.01))
        #expect(estimateP1 > exactP1 * 2, "p1 lies in the collapsed range, so it must be far off")
    }

    @Test(arguments: [1, 2, 5, 64, LatencySketch.defaultMaxBins])
    func stateDependsOnlyOnTheValuesNotOnAddAndMergeOrder(maxBins: Int) {
        var random = SplitMix64(seed: UInt64(maxBins))
        // Mostly 0.1 ms ... 10 s, with rare values down to 1e-9 and up to 1e15 ms.
        let samples = (0..<20_000).map { index in
            let exponent = index.isMultiple(of: 97) ? -9 + 24 * random.nextUnitInterval() : -1 + 5 * random.nextUnitInterval()
            return pow(10, exponent)
        }
        var reference = LatencySketch(maxBins: maxBins)
        for sample in samples.sorted() { reference.add(sample) }

        for _ in 0..<5 {
            // Split the samples into random runs, sketch each, and merge in a random order.
            var parts: [LatencySketch] = []
            var start = 0
            while start < samples.count {
                let end = Swift.min(samples.count, start + 1 + Int(random.next() % 3000))
                var part = LatencySketch(maxBins: maxBins)
                for sample in samples[start..<end] { part.add(sample) }
                parts.append(part)
                start = end
            }
            var merged = LatencySketch(maxBins: maxBins)
            while let part = parts.popLast() {
                if random.next().isMultiple(of: 2) {
                    merged.merge(part)
                } else {
                    var combined = part
                    combined.merge(merged)
                    merged = combined
                }
                #expect(merged.binCount <= maxBins)
            }
            #expect(merged == reference, "maxBins \(maxBins)")
        }
    }

    @Test func collapsingHandlesAJumpBeyondEveryStoredBin() {
        var sketch = LatencySketch(maxBins: 8)
        sketch.add(1)
        sketch.add(2)
        sketch.add(1e9)
        #expect(sketch.binCount == 8)
        #expect(sketch.count == 3)
        #expect(sketch.quantile(0) == 1)
        #expect(sketch.quantile(1) == 1e9)
        let middle = sketch.quantile(0.5) ?? 0
        #expect(middle > 1e8, "1 and 2 collapsed into the lowest of the 8 bins below 1e9")

        var single = LatencySketch(maxBins: 1)
        for value in [0.5, 3, 700] { single.add(value) }
        #expect(single.binCount == 1)
        #expect(single.count == 3)
        #expect(single.quantile(1) == 700)
    }

    // MARK: - Encoding

    @Test(arguments: EncodingCase.allCases)
    func encodingRoundTripsExactly(example: EncodingCase) throws {
        let sketch = example.makeSketch()
        let bytes = sketch.encoded()
        let decoded = try LatencySketch(decoding: bytes)
        #expect(decoded == sketch)
        #expect(decoded.sum.bitPattern == sketch.sum.bitPattern)
        #expect(decoded.min.bitPattern == sketch.min.bitPattern)
        #expect(decoded.max.bitPattern == sketch.max.bitPattern)
        #expect(decoded.encoded() == bytes)
        #expect(try LatencySketch(decoding: bytes[...]) == sketch, "decodes from a slice too")
        for q in Self.checkedQuantiles {
            #expect(decoded.quantile(q) == sketch.quantile(q))
        }
    }

    /// `encoded()` picks one layout per sketch; the other listed one must decode just as well,
    /// since the choice is only about size.
    @Test(arguments: EncodingCase.allCases, [LatencySketch.BinLayout.dense, .sparse])
    func bothListedBinLayoutsRoundTripExactly(example: EncodingCase, layout: LatencySketch.BinLayout) throws {
        let sketch = example.makeSketch()
        let bytes = sketch.encoded(binLayout: layout)
        #expect(bytes[1] & 0b11 == layout.rawValue)
        let decoded = try LatencySketch(decoding: bytes)
        #expect(decoded == sketch)
        #expect(decoded.sum.bitPattern == sketch.sum.bitPattern)
        #expect(decoded.min.bitPattern == sketch.min.bitPattern)
        #expect(decoded.max.bitPattern == sketch.max.bitPattern)
    }

    @Test(arguments: EncodingCase.allCases)
    func encoderChoosesTheSmallestExactLayout(example: EncodingCase) {
        let sketch = example.makeSketch()
        let bytes = sketch.encoded()
        let chosen = LatencySketch.BinLayout(rawValue: bytes[1] & 0b11)
        #expect(chosen == example.expectedBinLayout)
        let dense = sketch.encoded(binLayout: .dense).count
        let sparse = sketch.encoded(binLayout: .sparse).count
        #expect(bytes.count <= Swift.min(dense, sparse), "dense \(dense), sparse \(sparse), chosen \(bytes.count)")
        #expect(bytes.count <= version1Encoding(of: sketch).count, "never larger than version 1")
    }

    @Test func fewValuesTakeFewBytes() throws {
        #expect(LatencySketch().encoded() == [2, 0, 0], "version, flags, count 0: nothing else")

        var one = LatencySketch()
        one.add(12.5)
        // version, flags, count 1, the value; its bin follows from the value.
        #expect(one.encoded().count == 11)
        #expect(version1Encoding(of: one).count == 33)

        var zero = LatencySketch()
        zero.add(0)
        #expect(zero.encoded().count == 12, "version, flags, count, zero count, the value")

        // Three values 100 bins apart end to end: 10 ms is bin 116, 73 ms bin 215.
        var spread = LatencySketch()
        for value in [10.0, 30, 73] { spread.add(value) }
        let bytes = spread.encoded()
        #expect(bytes[1] & 0b11 == LatencySketch.BinLayout.sparse.rawValue)
        // The exact sum, min and max are three distinct doubles, 24 bytes that no exact layout
        // can shrink. Everything else: version, flags, count (3 bytes) and the sparse bins (8:
        // how many, index of the first in 2 bytes, 1 count each, 1 gap byte each for the others).
        #expect(bytes.count - 24 == 11, "\(bytes.count) bytes")
        #expect(version1Encoding(of: spread).count == 132, "version 1 wrote all 100 bins")

        var random = SplitMix64(seed: 10)
        var ten = LatencySketch()
        for _ in 0..<10 { ten.add(SampleDistribution.logNormal.sample(&random)) }
        #expect(ten.encoded().count < 60, "\(ten.encoded().count) bytes")
    }

    @Test func typicalSketchesEncodeNoLargerThanVersion1() {
        var random = SplitMix64(seed: 1000)
        var sketch = LatencySketch()
        for _ in 0..<1000 { sketch.add(SampleDistribution.logNormal.sample(&random)) }
        let size = sketch.encoded().count
        #expect(size > 100 && size < 500, "encoded size \(size) bytes")
        #expect(size <= version1Encoding(of: sketch).count)

        // A million values fill nearly every bin of their range: dense, and a few header bytes
        // smaller than version 1.
        for _ in 0..<999_000 { sketch.add(SampleDistribution.logNormal.sample(&random)) }
        let million = sketch.encoded()
        #expect(million[1] & 0b11 == LatencySketch.BinLayout.dense.rawValue)
        #expect(million.count <= version1Encoding(of: sketch).count, "\(million.count) bytes")
    }

    /// Stored rows depend on these bytes: a change here needs a new version.
    @Test func encodingIsPinned() {
        #expect(LatencySketch().encoded() == [2, 0x00, 0])

        var one = LatencySketch()
        one.add(12.5)
        // flags 0x13: single value, single-value bin.
        #expect(one.encoded() == [2, 0x13, 1] + encodedDoubles(12.5))

        var two = LatencySketch(maxBins: 100)
        for value in [100.0, 250, 0] { two.add(value) }
        // flags 0x0E: sparse, zero count, maxBins; count 3, zero count 1, maxBins 100; two
        // non-empty bins: index 231 (zigzag 462), count 1; 45 empty bins skipped to 277, count 1.
        #expect(
            two.encoded()
                == [2, 0x0E, 3, 1, 100, 2, 0xCE, 0x03, 1, 45, 1] + encodedDoubles(350, 0, 250))

        var repeated = LatencySketch()
        for _ in 0..<10 { repeated.add(0.1) }
        // Ten times 0.1 sums to 0.9999999999999999, not 10 × 0.1: three doubles, flags 0x01
        // (dense, on a tie with sparse): first index -115 (zigzag 229), 1 bin of 10.
        #expect(repeated.encoded() == [2, 0x01, 10, 0xE5, 0x01, 1, 10] + encodedDoubles(repeated.sum, 0.1, 0.1))
    }

    @Test func aRepeatedValueDerivesItsBinAcrossTheWholeRange() throws {
        let values = [
            LatencySketch.minIndexableValue.nextUp, 1e-3, 1, LatencySketch.gamma, pow(LatencySketch.gamma, 100),
            LatencySketch.representativeValue(ofBin: 345), 86_400_000, .greatestFiniteMagnitude,
        ]
        for value in values {
            for repeats in [1, 2, 3, 1000] {
                var sketch = LatencySketch()
                for _ in 0..<repeats { sketch.add(value) }
                let bytes = sketch.encoded()
                let decoded = try LatencySketch(decoding: bytes)
                #expect(decoded == sketch, "\(repeats) × \(value)")
                #expect(decoded.sum.bitPattern == sketch.sum.bitPattern, "\(repeats) × \(value)")
                if sketch.sum == Double(repeats) * value {
                    #expect(bytes[1] == 0x13, "\(repeats) × \(value): one value, derived bin")
                }
            }
        }
    }

    /// 0 and −0 compare equal, but the round trip must keep each bit. Only version-1 bytes can
    /// carry −0 (`add` stores negative values as +0).
    @Test func negativeZeroKeepsItsSign() throws {
        let signs: [(sum: Double, min: Double, max: Double)] = [
            (-0.0, -0.0, -0.0), (0, -0.0, 0), (-0.0, -0.0, 0), (0, 0, -0.0), (-0.0, 0, 0),
        ]
        for (sum, min, max) in signs {
            let legacy: [UInt8] = [1, 1, 1, 64, 0, 0] + encodedDoubles(sum, min, max)
            let sketch = try LatencySketch(decoding: legacy)
            let decoded = try LatencySketch(decoding: sketch.encoded())
            #expect(decoded.sum.bitPattern == sum.bitPattern && decoded.min.bitPattern == min.bitPattern
                && decoded.max.bitPattern == max.bitPattern, "\(sum), \(min), \(max)")
        }
        #expect(throws: LatencySketchDecodingError.self, "an empty sketch's sum is +0") {
            try LatencySketch(decoding: [1, 0, 0, 64, 0, 0] + encodedDoubles(-0.0, .infinity, -.infinity))
        }
    }

    @Test func everyTruncatedPrefixThrows() {
        for example in EncodingCase.allCases {
            let sketch = example.makeSketch()
            let encodings = [
                ("chosen", sketch.encoded()),
                ("dense", sketch.encoded(binLayout: .dense)),
                ("sparse", sketch.encoded(binLayout: .sparse)),
                ("version 1", version1Encoding(of: sketch)),
            ]
            for (name, bytes) in encodings {
                for length in 0..<bytes.count {
                    #expect(throws: LatencySketchDecodingError.self, "\(example) \(name), \(length) bytes") {
                        try LatencySketch(decoding: bytes.prefix(length))
                    }
                }
            }
        }
    }

    @Test func truncationMessageNamesOffsetAndField() throws {
        var sketch = LatencySketch()
        sketch.add(100)
        sketch.add(250)
        let bytes = sketch.encoded()
        // version, flags, count; sparse bins: 2 of them, first index 231 (2 bytes), count, 45
        // bins skipped, count; then sum, min and max.
        #expect(bytes.count == 3 + 6 + 24)
        let expectations: [(length: Int, message: String)] = [
            (0, "sketch: truncated at byte 0 reading version"),
            (1, "sketch: truncated at byte 1 reading flags"),
            (2, "sketch: truncated at byte 2 reading count"),
            (3, "sketch: truncated at byte 3 reading number of non-empty bins"),
            // Two listed bins need at least 4 bytes: shorter inputs fail before reading them.
            (7, "sketch: 2 non-empty bins cannot fit in the 3 bytes left at byte 3 reading number of non-empty bins"),
            (8, "sketch: truncated at byte 8 reading bin counts"),
            (20, "sketch: truncated at byte 20 reading min"),
        ]
        for (length, message) in expectations {
            let error = try #require(throws: LatencySketchDecodingError.self) {
                try LatencySketch(decoding: bytes.prefix(length))
            }
            #expect(error.description == message)
        }
        let error = try #require(throws: LatencySketchDecodingError.self) {
            try LatencySketch(decoding: bytes.prefix(30))
        }
        #expect(error == LatencySketchDecodingError(.truncated, at: 30, reading: .max))

        let legacy = try #require(throws: LatencySketchDecodingError.self) {
            try LatencySketch(decoding: version1Encoding(of: sketch).prefix(4))
        }
        #expect(legacy.description == "sketch: truncated at byte 4 reading maxBins")
    }

    /// Version 1 (every bin of the range, every field) is how rows were stored before version 2.
    @Test func version1EncodingsStillDecode() throws {
        // Captured from the version-1 encoder: maxBins 64, values 12.5, 0 and 13 (bins 127–129).
        let captured: [UInt8] = [
            0x01, 0x03, 0x01, 0x40, 0xFE, 0x01, 0x03, 0x01, 0x00, 0x01,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x39, 0x40,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2A, 0x40,
        ]
        var sketch = LatencySketch(maxBins: 64)
        for value in [12.5, 0, 13] { sketch.add(value) }
        #expect(version1Encoding(of: sketch) == captured, "the test's version-1 writer matches the real one")
        let decoded = try LatencySketch(decoding: captured)
        #expect(decoded == sketch)
        #expect(decoded.sum.bitPattern == sketch.sum.bitPattern)
        #expect(decoded.encoded().first == 2, "re-encoding writes the current version")

        for example in EncodingCase.allCases {
            let original = example.makeSketch()
            let fromVersion1 = try LatencySketch(decoding: version1Encoding(of: original))
            #expect(fromVersion1 == original, "\(example)")
            #expect(fromVersion1.sum.bitPattern == original.sum.bitPattern, "\(example)")
            #expect(fromVersion1.encoded() == original.encoded(), "\(example)")
        }
    }

    @Test func wrongVersionThrows() throws {
        for version: UInt8 in [0, 3, 0xFF] {
            var bytes = EncodingCase.logNormal.makeSketch().encoded()
            bytes[0] = version
            let error = try #require(throws: LatencySketchDecodingError.self) {
                try LatencySketch(decoding: bytes)
            }
            #expect(error.problem == .unsupportedVersion(version))
            #expect(
                error.description
                    == "sketch: unsupported version \(version) at byte 0 (this build reads versions 1 and 2)")
        }
    }

    @Test func countMismatchThrows() throws {
        var sketch = LatencySketch()
        sketch.add(100)
        sketch.add(250)
        var bytes = sketch.encoded()
        bytes[2] = 3  // count 3, but two bins of 1 and no zero values
        let error = try #require(throws: LatencySketchDecodingError.self) {
            try LatencySketch(decoding: bytes)
        }
        #expect(error.problem == .countMismatch(binTotal: 2, zeroCount: 0, count: 3))
        #expect(
            error.description
                == "sketch: bin counts (2) plus zero count (0) do not add up to count (3) at byte 9 reading bin counts")
    }

    /// Version-1 inputs: header version 1, count, zero count, maxBins, then the dense bins.
    @Test func absurdSizesAndValuesThrow() {
        // Header: version 1, count 0, zero count 0, maxBins 64, first index 0, then `bins`.
        func encoding(maxBins: UInt8 = 64, bins: [UInt8], rest: [UInt8] = []) -> [UInt8] {
            [1, 0, 0, maxBins, 0] + bins + rest
        }
        let emptyDoubles: [UInt8] = encodedDoubles(0, .infinity, -.infinity)

        #expect(throws: LatencySketchDecodingError.self, "more bins than maxBins") {
            try LatencySketch(decoding: encoding(bins: [65] + [UInt8](repeating: 0, count: 65), rest: emptyDoubles))
        }
        #expect(throws: LatencySketchDecodingError.self, "more bins than bytes left") {
            try LatencySketch(decoding: encoding(maxBins: 0x7F, bins: [0x7F, 0, 0]))
        }
        #expect(throws: LatencySketchDecodingError.self, "a 2^63 bin count") {
            try LatencySketch(decoding: [1, 0, 0] + varint(1 << 16) + [0] + varint(1 << 63) + emptyDoubles)
        }
        #expect(throws: LatencySketchDecodingError.self, "maxBins 0") {
            try LatencySketch(decoding: encoding(maxBins: 0, bins: [0], rest: emptyDoubles))
        }
        #expect(throws: LatencySketchDecodingError.self, "maxBins 2^40") {
            try LatencySketch(decoding: [1, 0, 0] + varint(1 << 40) + [0, 0] + emptyDoubles)
        }
        #expect(throws: LatencySketchDecodingError.self, "an 11-byte varint") {
            try LatencySketch(decoding: [1] + [UInt8](repeating: 0x80, count: 10) + [0x00])
        }
        #expect(throws: LatencySketchDecodingError.self, "a varint over 64 bits") {
            try LatencySketch(decoding: [1] + [UInt8](repeating: 0xFF, count: 9) + [0x02])
        }
        #expect(throws: Never.self, "the well-formed empty encoding") {
            try LatencySketch(decoding: encoding(bins: [0], rest: emptyDoubles))
        }
        #expect(throws: LatencySketchDecodingError.self, "trailing bytes") {
            try LatencySketch(decoding: encoding(bins: [0], rest: emptyDoubles + [0]))
        }
        #expect(throws: LatencySketchDecodingError.self, "empty sketch with a minimum") {
            try LatencySketch(decoding: encoding(bins: [0], rest: encodedDoubles(0, 5, -.infinity)))
        }
        #expect(throws: LatencySketchDecodingError.self, "bins beyond the largest Double") {
            // count 1, first index zigzag(40000) = 80000 = 0x80 0xF1 0x04, one bin of 1.
            try LatencySketch(decoding: [1, 1, 0, 64, 0x80, 0xF1, 0x04, 1, 1] + encodedDoubles(1, 1, 1))
        }
        for zigzagIndex in [UInt64.max, UInt64.max - 1, 1381] {
            // Int64.min, Int64.max, -691 (just below the 1 ns floor); two bins of 1 each.
            #expect(throws: LatencySketchDecodingError.self, "first bin index from zigzag \(zigzagIndex)") {
                try LatencySketch(decoding: [1, 2, 0, 64] + varint(zigzagIndex) + [2, 1, 1] + encodedDoubles(2, 1, 1))
            }
        }
        #expect(throws: LatencySketchDecodingError.self, "min above max") {
            try LatencySketch(decoding: [1, 1, 1, 64, 0, 0] + encodedDoubles(0, 1e-7, 0))
        }
        // The same shape with consistent values decodes, proving the checks above are specific.
        #expect(throws: Never.self) {
            try LatencySketch(decoding: [1, 1, 1, 64, 0, 0] + encodedDoubles(1e-7, 1e-7, 1e-7))
        }
    }

    /// Version-2 inputs. Flags: bits 0–1 layout (1 dense, 2 sparse, 3 single-value bin),
    /// 0x04 zero count, 0x08 maxBins, 0x10 single value.
    @Test func impossibleVersion2FieldsThrowPreciseErrors() throws {
        let one = encodedDoubles(1)
        expectDecodingError([2, 0x20, 0], at: 1, reading: .flags, "a reserved flag bit")
        expectDecodingError([2, 0x80, 0], at: 1, reading: .flags, "the highest reserved flag bit")
        expectDecodingError([2, 0x10, 0] + one, at: 1, reading: .flags, "a single value without values")
        expectDecodingError([2, 0x03, 1] + encodedDoubles(1, 1, 1), at: 1, reading: .flags,
            "a single-value bin without the single-value flag")
        expectDecodingError([2, 0x08, 0, 0], at: 3, reading: .maxBins, "maxBins 0")
        expectDecodingError([2, 0x08, 0] + varint(1 << 40), at: 3, reading: .maxBins, "maxBins 2^40")
        expectDecodingError([2, 0x00, 0, 0], at: 3, reading: .count, "a byte after the empty sketch")
        expectDecodingError([2, 0x10, 1] + one, at: 3, reading: .binCounts, "no bins and no zero count for 1 value")
        expectDecodingError([2, 0x14, 1, 1] + one + [0], at: 12, reading: .value, "a byte after the value")

        // The single value and the bin it implies.
        for impossible: Double in [-1, .infinity, -.infinity, .nan] {
            expectDecodingError([2, 0x13, 1] + encodedDoubles(impossible), at: 3, reading: .value, "value \(impossible)")
        }
        expectDecodingError([2, 0x13, 1] + encodedDoubles(1e-6), at: 3, reading: .value,
            "a value in the zero bucket cannot imply a bin")
        let mismatch = expectDecodingError([2, 0x17, 1, 1] + one, at: 4, reading: .binCounts,
            "the implied bin holds every value, so there can be no zero count")
        #expect(mismatch?.problem == .countMismatch(binTotal: 1, zeroCount: 1, count: 1))
        #expect(try LatencySketch(decoding: [2, 0x13, 7] + encodedDoubles(2)).quantile(0.5) == 2, "7 × 2 ms decodes")

        // Three doubles, checked as in version 1.
        expectDecodingError([2, 0x04, 1, 1] + encodedDoubles(0, 1e-7, 0), at: 12, reading: .min, "min above max")
        expectDecodingError([2, 0x04, 1, 1] + encodedDoubles(-1, 0, 0), at: 12, reading: .min, "a negative sum")

        // Dense bins, checked as in version 1.
        expectDecodingError([2, 0x09, 1, 2, 0, 3, 1, 0, 0] + encodedDoubles(1, 1, 1), at: 5, reading: .binCount,
            "3 bins with maxBins 2")
        expectDecodingError([2, 0x01, 1] + varint(1381) + [1, 1] + encodedDoubles(1, 1, 1), at: 3,
            reading: .firstBinIndex, "a dense first index below the 1 ns floor")
    }

    @Test func impossibleSparseBinsThrowPreciseErrors() throws {
        let values = encodedDoubles(2, 1, 1)
        /// Version 2, sparse, count 2, maxBins 64, then `bins` (starting at byte 4) and the values.
        func sparse(_ bins: [UInt8], maxBins: UInt8 = 64, rest: [UInt8]? = nil) -> [UInt8] {
            [2, 0x0A, 2, maxBins] + bins + (rest ?? values)
        }
        // Control: two bins of 1 at indices 0 and 63, the widest span maxBins 64 allows.
        let widest = try LatencySketch(decoding: sparse([2, 0, 1, 62, 1]))
        #expect(widest.binCount == 64)

        expectDecodingError(sparse([65] + [UInt8](repeating: 1, count: 130)), at: 4, reading: .nonEmptyBinCount,
            "more non-empty bins than maxBins")
        expectDecodingError(sparse([13, 0, 1], rest: []), at: 4, reading: .nonEmptyBinCount,
            "more non-empty bins than the bytes left can hold")
        expectDecodingError(sparse([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]), at: 4, reading: .nonEmptyBinCount,
            "2^32 non-empty bins")
        for zigzagIndex in [UInt64.max, UInt64.max - 1, 1381, 70978] {
            // Int64.min, Int64.max, -691 (below the 1 ns floor), 35489 (beyond the largest Double).
            expectDecodingError(sparse([2] + varint(zigzagIndex) + [1, 0, 1]), at: 5, reading: .firstBinIndex,
                "first index from zigzag \(zigzagIndex)")
        }
        let beyondMaxBins = expectDecodingError(sparse([2, 0, 1, 63, 1]), at: 7, reading: .skippedBinCount,
            "a span of 65 bins with maxBins 64")
        #expect(
            beyondMaxBins?.description == "sketch: skipping 63 empty bins after bin 0 goes past bin 63, "
                + "the last of maxBins 64 from bin 0 at byte 7 reading empty bins skipped")
        // 35488 is the highest possible bin (zigzag 70976, 3 bytes): nothing fits after it.
        expectDecodingError([2, 0x02, 2, 2] + varint(70976) + [1, 0, 1] + values, at: 8, reading: .skippedBinCount,
            "a bin beyond the largest Double")
        #expect(throws: Never.self, "35488 itself is possible") {
            try LatencySketch(decoding: [2, 0x02, 2, 1] + varint(70976) + [2] + encodedDoubles(2, 1, 1))
        }
        for skipped in [UInt64.max, 1 << 63, UInt64(Int.max)] {
            expectDecodingError(sparse([2, 0, 1] + varint(skipped) + [1]), at: 7, reading: .skippedBinCount,
                "skipping \(skipped) bins")
        }
        expectDecodingError(sparse([2, 0, 0, 0, 1]), at: 6, reading: .binCounts, "a listed bin with count 0")
        let mismatch = expectDecodingError(sparse([2, 0, 1, 0, 2]), at: 9, reading: .binCounts,
            "bins of 1 and 2 for count 2")
        #expect(mismatch?.problem == .countMismatch(binTotal: 3, zeroCount: 0, count: 2))
        let overflow = expectDecodingError(
            [2, 0x02, 2, 2, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0, 1] + values,
            at: 17, reading: .binCounts, "bin counts whose total overflows")
        #expect(overflow?.problem == .countMismatch(binTotal: nil, zeroCount: 0, count: 2))
    }

    @Test func garbageNeverCrashesTheDecoder() {
        var random = SplitMix64(seed: 99)
        var decodedCount = 0
        let valid = EncodingCase.allCases.flatMap { example in
            let sketch = example.makeSketch()
            return [sketch.encoded(), sketch.encoded(binLayout: .dense), sketch.encoded(binLayout: .sparse),
                    version1Encoding(of: sketch)]
        }
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round.isMultiple(of: 2) {
                bytes = (0..<Int(random.next() % 48)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                if !bytes.isEmpty { bytes[0] = round.isMultiple(of: 4) ? 1 : 2 }
                // Mostly known flags, so that the random bytes reach the bins and values.
                if bytes.count > 1 && !round.isMultiple(of: 3) { bytes[1] &= 0x1F }
            } else {
                bytes = valid[Int(random.next() % UInt64(valid.count))]
                guard !bytes.isEmpty else { continue }
                for _ in 0..<(1 + random.next() % 3) {
                    bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
                }
            }
            guard let sketch = try? LatencySketch(decoding: bytes) else { continue }
            // Whatever decodes must behave: quantiles within [min, max], stable re-encoding.
            decodedCount += 1
            if let median = sketch.quantile(0.5) {
                #expect(median >= sketch.min && median <= sketch.max)
            }
            let reencoded = try? LatencySketch(decoding: sketch.encoded())
            #expect(reencoded == sketch)
            #expect(reencoded?.sum.bitPattern == sketch.sum.bitPattern)
            var merged = sketch
            merged.merge(sketch)
            #expect(merged.count >= sketch.count)
        }
        #expect(decodedCount > 100, "some mutations (e.g. of a bin count with a matching count) decode")
    }

    /// Decodes `bytes` expecting an error at `offset` while reading `field`, and returns it.
    @discardableResult
    private func expectDecodingError(
        _ bytes: [UInt8], at offset: Int, reading field: LatencySketchDecodingError.Field, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> LatencySketchDecodingError? {
        do {
            let sketch = try LatencySketch(decoding: bytes)
            Issue.record("\(what): decoded \(sketch) instead of throwing", sourceLocation: sourceLocation)
            return nil
        } catch {
            #expect(
                error.byteOffset == offset && error.field == field,
                "\(what): expected byte \(offset) reading \(field.rawValue), got \(error)",
                sourceLocation: sourceLocation)
            return error
        }
    }
}

/// LEB128, as the encoder writes it.
private func varint(_ value: UInt64) -> [UInt8] {
    var bytes: [UInt8] = []
    var remaining = value
    while remaining >= 0x80 {
        bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
        remaining >>= 7
    }
    return bytes + [UInt8(remaining)]
}

/// Little-endian IEEE 754 doubles, as the encoder writes them.
private func encodedDoubles(_ values: Double...) -> [UInt8] {
    values.flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) } }
}

/// The bytes the version-1 encoder wrote for `sketch`: a header of version 1 and three varints
/// (count, zero count, maxBins), the bins exactly as in the version-2 dense layout, then sum, min
/// and max. So this cuts the bins out of `encoded(binLayout: .dense)`; `version1EncodingsStillDecode`
/// checks the result against bytes captured from the version-1 encoder.
private func version1Encoding(of sketch: LatencySketch) -> [UInt8] {
    let current = sketch.encoded(binLayout: .dense)
    let singleValueFlag: UInt8 = 0x10
    let headerLength = 2 + varint(sketch.count).count
        + (sketch.zeroCount == 0 ? 0 : varint(sketch.zeroCount).count)
        + (sketch.maxBins == LatencySketch.defaultMaxBins ? 0 : varint(UInt64(sketch.maxBins)).count)
    let valuesLength = sketch.isEmpty ? 0 : current[1] & singleValueFlag != 0 ? 8 : 24
    return [1] + varint(sketch.count) + varint(sketch.zeroCount) + varint(UInt64(sketch.maxBins))
        + current[headerLength..<(current.count - valuesLength)]
        + encodedDoubles(sketch.sum, sketch.min, sketch.max)
}

// MARK: - Test data

// Nested in the suite so that other test files of the target can use the same names.
extension LatencySketchTests {
    /// The distributions the accuracy requirement is checked against.
    enum SampleDistribution: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// Median 100 ms, σ = 1: a typical service latency.
        case logNormal
        /// 70 % cache hits around 5 ms, 30 % misses around 800 ms.
        case bimodal
        /// Pareto with shape 1.1 and scale 1 ms: an infinite-variance tail.
        case heavyTail
        /// Every value 42 ms.
        case constant

        var testDescription: String { rawValue }

        var seed: UInt64 {
            UInt64(SampleDistribution.allCases.firstIndex(of: self) ?? 0) + 1
        }

        func sample(_ random: inout SplitMix64) -> Double {
            switch self {
            case .logNormal:
                return exp(log(100) + random.nextStandardNormal())
            case .bimodal:
                let median = random.nextUnitInterval() < 0.7 ? 5.0 : 800.0
                return exp(log(median) + 0.5 * random.nextStandardNormal())
            case .heavyTail:
                return pow(random.nextUnitInterval(), -1 / 1.1)
            case .constant:
                return 42
            }
        }
    }

    /// Sketches whose encodings must round-trip and whose every prefix must be rejected.
    enum EncodingCase: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case empty, singleValue, singleZero, onlyZeros, repeatedValue, repeatedValueWithInexactSum
        case customMaxBinsSingleValue, spreadValues, zerosAndValues, logNormal, bimodal, heavyTail, collapsed

        var testDescription: String { rawValue }

        func makeSketch() -> LatencySketch {
            var random = SplitMix64(seed: 11)
            var sketch = LatencySketch()
            switch self {
            case .empty:
                break
            case .singleValue:
                sketch.add(12.5)
            case .singleZero:
                sketch.add(0)
            case .onlyZeros:
                for _ in 0..<300 { sketch.add(0) }
            case .repeatedValue:
                for _ in 0..<1000 { sketch.add(42) }
            case .repeatedValueWithInexactSum:
                // 0.1 ten times sums to 0.9999999999999999, while 10 × 0.1 is 1.0.
                for _ in 0..<10 { sketch.add(0.1) }
            case .customMaxBinsSingleValue:
                sketch = LatencySketch(maxBins: 100)
                sketch.add(3)
            case .spreadValues:
                for value in [10.0, 30, 73, 0, 4000] { sketch.add(value) }
            case .zerosAndValues:
                for index in 0..<300 { sketch.add(index.isMultiple(of: 3) ? 0 : Double(index) * 0.37) }
            case .logNormal, .bimodal, .heavyTail:
                let distribution = SampleDistribution(rawValue: rawValue) ?? .logNormal
                for _ in 0..<5000 { sketch.add(distribution.sample(&random)) }
            case .collapsed:
                sketch = LatencySketch(maxBins: 64)
                for _ in 0..<5000 { sketch.add(pow(10, -3 + 12 * random.nextUnitInterval())) }
            }
            return sketch
        }

        /// The bin layout `encoded()` must choose.
        var expectedBinLayout: LatencySketch.BinLayout {
            switch self {
            case .empty, .singleZero, .onlyZeros: .none
            case .singleValue, .repeatedValue, .customMaxBinsSingleValue: .singleValueBin
            case .spreadValues, .zerosAndValues: .sparse
            case .repeatedValueWithInexactSum, .logNormal, .bimodal, .heavyTail, .collapsed: .dense
            }
        }
    }
}

@Suite("LatencySketch.count(above:)")
struct LatencySketchCountAboveTests {
    @Test("exact when min and max decide, bin-resolved within 2 % otherwise")
    func countAbove() {
        var sketch = LatencySketch()
        for value in [100.0, 150, 1990, 2000, 2010, 2100, 5000] { sketch.add(value) }
        // 2100 and 5000 are certainly above 2000; 2010 shares the threshold's bin (within 2 %) and counts as good.
        #expect(sketch.count(above: 2000) == 2)
        #expect(sketch.count(above: 10_000) == 0)
        #expect(sketch.count(above: 50) == 7)
        #expect(sketch.count(above: 1000) == 5)
        #expect(LatencySketch().count(above: 1) == 0)
    }
}
