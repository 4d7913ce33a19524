#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Foundation
#endif

// MARK: - Binary encoding

extension LatencySketch {
    /// The version ``encoded()`` writes: the first byte of every encoding.
    static let encodingVersion: UInt8 = 2
    /// The first layout (every bin of the range, every field always written; 31 bytes for an
    /// empty sketch). Still decoded, so that rows stored before version 2 need no migration.
    static let legacyEncodingVersion: UInt8 = 1

    /// A compact binary form for storage (one SQLite BLOB per series and time bucket), in this
    /// order:
    /// 1. version byte (2);
    /// 2. flags byte: bits 0–1 the ``BinLayout``; bit 2 set when a zero count follows; bit 3 set
    ///    when maxBins follows; bit 4 set when one value stands for sum, min and max; bits 5–7
    ///    are 0;
    /// 3. LEB128 varints: count, then the zero count and maxBins if flagged (absent, they are 0
    ///    and ``defaultMaxBins``);
    /// 4. the bins, in the layout the flags name; bin indices are zigzag varints, since they
    ///    are negative below 1 ms:
    ///    - *none*: no bytes, there are no bins (an empty sketch, or only values ≤ 1 ns);
    ///    - *dense*: the index of the first bin, the number of bins, then one varint count per
    ///      bin from the lowest to the highest non-empty bin (each empty bin between costs a
    ///      byte);
    ///    - *sparse*: the number of non-empty bins, then for each of them from the lowest up its
    ///      position and its varint count; the position is the index for the first bin and the
    ///      number of empty bins skipped since the previous one for the others (so indices can
    ///      only increase);
    ///    - *single-value bin*: no bytes; one bin, the bin of the single value, holds every
    ///      value;
    /// 5. nothing when the count is 0 (sum 0, min +∞, max −∞); with the single-value flag one
    ///    8-byte little-endian IEEE 754 double that is both min and max, the sum being
    ///    `Double(count) × value`; otherwise sum, min and max as three such doubles.
    ///
    /// Why: most stored sketches are tiny (70 % of the 10 s rows of a typical day hold one
    /// value), and version 1 spent 31 bytes on an empty sketch, a byte per empty bin between
    /// values and 24 bytes on sum, min and max even for one value. So optional fields are
    /// flagged away, few values spread over many bins are listed sparsely, and a sketch of one
    /// repeated value stores that value once and derives its bin. `encoded()` writes the
    /// smallest layout that is exact: dense or sparse, whichever is smaller (dense on a tie);
    /// one double only when `Double(count) × value` reproduces the sum bit for bit; the derived
    /// bin only when ``binIndex(of:)``, which `add` uses too, reproduces the stored bin. (A
    /// build whose `log` rounds differently could derive the neighbouring bin for a value on a
    /// bin boundary: the bin its own `add` would choose. Quantiles of that sketch are unaffected,
    /// as they are clamped to min = max.)
    ///
    /// An empty sketch takes 3 bytes, one value 11, three values about 100 bins apart 35 (24
    /// of them the three doubles), 1000 log-normal latencies around 100 ms (σ = 1) about 350
    /// and a million about 800, where nearly every bin of the range is in use and the dense
    /// layout wins. Decoding the result with ``init(decoding:)`` gives back an equal sketch
    /// whose `sum`, `min` and `max` are bit-identical.
    public func encoded() -> [UInt8] {
        let sizes = listedBinLayoutSizes()
        let layout: BinLayout
        if binCounts.isEmpty {
            layout = .none
        } else if binFollowsFromSingleValue {
            layout = .singleValueBin
        } else {
            // Dense on a tie: it decodes with less work per bin.
            layout = sizes.sparse < sizes.dense ? .sparse : .dense
        }
        return encoded(binLayout: layout, listedBinLayoutSizes: sizes)
    }

    /// ``encoded()`` with the bin layout forced, so that tests can decode both listed layouts
    /// of any sketch. `.dense` and `.sparse` can represent any bins; `.none` and
    /// `.singleValueBin` give undecodable bytes unless `encoded()` would have chosen them.
    func encoded(binLayout: BinLayout) -> [UInt8] {
        encoded(binLayout: binLayout, listedBinLayoutSizes: listedBinLayoutSizes())
    }

    private func encoded(
        binLayout: BinLayout, listedBinLayoutSizes sizes: (dense: Int, sparse: Int)
    ) -> [UInt8] {
        let flags = EncodingFlags(
            binLayout: binLayout,
            writesZeroCount: zeroCount != 0,
            writesMaxBins: maxBins != Self.defaultMaxBins,
            writesSingleValue: isSingleValued)
        let binBytes =
            switch binLayout {
            case .none, .singleValueBin: 0
            case .dense: sizes.dense
            case .sparse: sizes.sparse
            }
        let valueBytes = count == 0 ? 0 : flags.writesSingleValue ? 8 : 3 * 8
        let size =
            2 + Self.varintLength(count)
            + (flags.writesZeroCount ? Self.varintLength(zeroCount) : 0)
            + (flags.writesMaxBins ? Self.varintLength(UInt64(maxBins)) : 0)
            + binBytes + valueBytes
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)

        bytes.append(Self.encodingVersion)
        bytes.append(flags.byte)
        Self.appendVarint(count, to: &bytes)
        if flags.writesZeroCount { Self.appendVarint(zeroCount, to: &bytes) }
        if flags.writesMaxBins { Self.appendVarint(UInt64(maxBins), to: &bytes) }
        switch binLayout {
        case .none, .singleValueBin:
            break
        case .dense:
            appendDenseBins(to: &bytes)
        case .sparse:
            appendSparseBins(to: &bytes)
        }
        if count > 0 {
            if flags.writesSingleValue {
                Self.appendDouble(self.min, to: &bytes)
            } else {
                Self.appendDouble(sum, to: &bytes)
                Self.appendDouble(self.min, to: &bytes)
                Self.appendDouble(self.max, to: &bytes)
            }
        }
        // The layout choice relies on the computed sizes: every test run checks them.
        assert(bytes.count == size, "computed \(size) bytes, wrote \(bytes.count)")
        return bytes
    }

    /// Whether one double can stand for sum, min and max: every value was the same (compared
    /// bit for bit, so that 0 and −0 stay apart) and `Double(count) × value`, which the decoder
    /// computes, is bit-identical to the sum.
    private var isSingleValued: Bool {
        count > 0 && self.min.bitPattern == self.max.bitPattern
            && sum.bitPattern == (Double(count) * self.min).bitPattern
    }

    /// Whether the bins are exactly what the decoder derives for the single-value-bin layout:
    /// one bin, the value's own, holding every value. True for any sketch of one repeated value
    /// above 1 ns, but checked rather than assumed, so that whatever state a sketch is in
    /// encodes to bytes that decode back to it.
    private var binFollowsFromSingleValue: Bool {
        isSingleValued && zeroCount == 0 && binCounts.count == 1 && binCounts[0] == count
            && self.min > Self.minIndexableValue && self.min < .infinity
            && binOffset == Self.binIndex(of: self.min)
    }

    /// The bytes the dense and the sparse layout would take, in one pass, so that `encoded()`
    /// can choose between them and allocate exactly once.
    private func listedBinLayoutSizes() -> (dense: Int, sparse: Int) {
        let firstIndexBytes = Self.varintLength(Self.zigzag(binCounts.isEmpty ? 0 : binOffset))
        var countBytes = 0
        var emptyBins = 0
        var nonEmptyBins = 0
        var skipBytes = 0
        var emptyRun = 0
        // Runs on every flush and store-side merge, so it is one tight pass without checks.
        binCounts.withUnsafeBufferPointer { counts in
            for countInBin in counts {
                if countInBin == 0 {
                    emptyRun += 1
                    continue
                }
                if emptyRun > 0 {
                    // `binCounts` starts with a non-empty bin, so every run here has one before.
                    emptyBins += emptyRun
                    skipBytes += Self.varintLength(UInt64(emptyRun)) - 1
                    emptyRun = 0
                }
                nonEmptyBins += 1
                countBytes += Self.varintLength(countInBin)
            }
        }
        // One skip varint per non-empty bin after the first; the loop added the extra bytes of
        // those above 127.
        skipBytes += Swift.max(nonEmptyBins - 1, 0)
        let dense = firstIndexBytes + Self.varintLength(UInt64(binCounts.count)) + countBytes + emptyBins
        // The first non-empty bin is the first stored one: `binCounts` is kept canonical.
        let sparse = Self.varintLength(UInt64(nonEmptyBins)) + (nonEmptyBins > 0 ? firstIndexBytes : 0)
            + skipBytes + countBytes
        return (dense, sparse)
    }

    private func appendDenseBins(to bytes: inout [UInt8]) {
        Self.appendVarint(Self.zigzag(binCounts.isEmpty ? 0 : binOffset), to: &bytes)
        Self.appendVarint(UInt64(binCounts.count), to: &bytes)
        for countInBin in binCounts {
            Self.appendVarint(countInBin, to: &bytes)
        }
    }

    private func appendSparseBins(to bytes: inout [UInt8]) {
        let nonEmptyBins = binCounts.reduce(0) { $1 > 0 ? $0 + 1 : $0 }
        Self.appendVarint(UInt64(nonEmptyBins), to: &bytes)
        var previousNonEmptyPosition: Int?
        for (position, countInBin) in binCounts.enumerated() where countInBin > 0 {
            if let previous = previousNonEmptyPosition {
                Self.appendVarint(UInt64(position - previous - 1), to: &bytes)
            } else {
                Self.appendVarint(Self.zigzag(binOffset + position), to: &bytes)
            }
            Self.appendVarint(countInBin, to: &bytes)
            previousNonEmptyPosition = position
        }
    }

    /// Decodes the output of ``encoded()``, in the current version or version 1. Any input that
    /// is not such an encoding (truncated, another version, unknown flags, implausible sizes,
    /// bins outside the possible range or beyond maxBins, counts that do not add up, trailing
    /// bytes) throws an error naming the byte offset and the field. No input can make it trap,
    /// or allocate more bins than its maxBins (at most ``maxBinsLimit``), which a sketch with
    /// that bound may hold anyway.
    public init(decoding bytes: some Collection<UInt8>) throws(LatencySketchDecodingError) {
        var reader = SketchByteReader(bytes: Array(bytes))
        let version = try reader.readByte(.version)
        switch version {
        case Self.encodingVersion:
            try self.init(readingVersion2From: &reader)
        case Self.legacyEncodingVersion:
            try self.init(readingVersion1From: &reader)
        default:
            throw LatencySketchDecodingError(.unsupportedVersion(version), at: 0, reading: .version)
        }
        guard reader.remaining == 0 else {
            throw LatencySketchDecodingError(
                .trailingBytes(reader.remaining), at: reader.position, reading: reader.lastFieldRead)
        }
    }

    /// Everything after the version byte of a version-2 encoding (see ``encoded()``).
    private init(readingVersion2From reader: inout SketchByteReader) throws(LatencySketchDecodingError) {
        let flagsStart = reader.position
        let flags = try EncodingFlags(byte: reader.readByte(.flags), at: flagsStart)
        let count = try reader.readVarint(.count)
        guard count > 0 || !flags.writesSingleValue else {
            throw LatencySketchDecodingError(
                .invalidValue("the single-value flag is set but the count is 0"),
                at: flagsStart, reading: .flags)
        }
        let zeroCount: UInt64 = if flags.writesZeroCount { try reader.readVarint(.zeroCount) } else { 0 }
        let maxBins = if flags.writesMaxBins { try Self.readMaxBins(from: &reader) } else { Self.defaultMaxBins }

        var bins: DecodedBins
        switch flags.binLayout {
        case .none:
            bins = DecodedBins(firstIndex: 0, counts: [], total: 0)
        case .dense:
            bins = try Self.readDenseBins(from: &reader, maxBins: maxBins)
        case .sparse:
            bins = try Self.readSparseBins(from: &reader, maxBins: maxBins)
        case .singleValueBin:
            // Every value is in the one bin; its index follows from the value, read below.
            bins = DecodedBins(firstIndex: 0, counts: [count], total: count)
        }
        try Self.checkCountsAddUp(binTotal: bins.total, zeroCount: zeroCount, count: count, at: reader.position)

        if count == 0 {
            self.init(
                validatedCount: count, zeroCount: zeroCount, maxBins: maxBins,
                sum: 0, min: .infinity, max: -.infinity, bins: (bins.counts, bins.firstIndex))
        } else if flags.writesSingleValue {
            let valueStart = reader.position
            let value = try reader.readDouble(.value)
            guard value >= 0, value < .infinity else {
                throw LatencySketchDecodingError(
                    .invalidValue("\(value) is not a possible value"), at: valueStart, reading: .value)
            }
            if flags.binLayout == .singleValueBin {
                guard value > Self.minIndexableValue else {
                    throw LatencySketchDecodingError(
                        .invalidValue(
                            "\(value) belongs in the zero bucket, so the layout cannot derive a bin from it"),
                        at: valueStart, reading: .value)
                }
                bins.firstIndex = Self.binIndex(of: value)
            }
            self.init(
                validatedCount: count, zeroCount: zeroCount, maxBins: maxBins,
                sum: Double(count) * value, min: value, max: value, bins: (bins.counts, bins.firstIndex))
        } else {
            let (sum, min, max) = try Self.readSumMinAndMax(from: &reader, count: count)
            self.init(
                validatedCount: count, zeroCount: zeroCount, maxBins: maxBins,
                sum: sum, min: min, max: max, bins: (bins.counts, bins.firstIndex))
        }
    }

    /// Everything after the version byte of a version-1 encoding: count, zero count and maxBins
    /// as varints, the dense bins, then sum, min and max.
    private init(readingVersion1From reader: inout SketchByteReader) throws(LatencySketchDecodingError) {
        let count = try reader.readVarint(.count)
        let zeroCount = try reader.readVarint(.zeroCount)
        let maxBins = try Self.readMaxBins(from: &reader)
        let bins = try Self.readDenseBins(from: &reader, maxBins: maxBins)
        try Self.checkCountsAddUp(binTotal: bins.total, zeroCount: zeroCount, count: count, at: reader.position)
        let (sum, min, max) = try Self.readSumMinAndMax(from: &reader, count: count)
        self.init(
            validatedCount: count, zeroCount: zeroCount, maxBins: maxBins,
            sum: sum, min: min, max: max, bins: (bins.counts, bins.firstIndex))
    }

    /// Bins as read from an encoding, before trimming.
    private struct DecodedBins {
        /// The bin index of `counts[0]`.
        var firstIndex: Int
        var counts: [UInt64]
        /// The sum of `counts`, nil if it overflows 64 bits.
        var total: UInt64?
    }

    private static func readMaxBins(
        from reader: inout SketchByteReader
    ) throws(LatencySketchDecodingError) -> Int {
        let start = reader.position
        let encoded = try reader.readVarint(.maxBins)
        guard encoded >= 1, encoded <= UInt64(maxBinsLimit) else {
            throw LatencySketchDecodingError(
                .invalidValue("maxBins \(encoded) is not in 1...\(maxBinsLimit)"),
                at: start, reading: .maxBins)
        }
        return Int(encoded)
    }

    /// The dense layout: first bin index, number of bins, one count per bin.
    private static func readDenseBins(
        from reader: inout SketchByteReader, maxBins: Int
    ) throws(LatencySketchDecodingError) -> DecodedBins {
        let firstIndexStart = reader.position
        let firstIndex = unzigzag(try reader.readVarint(.firstBinIndex))

        let binCountStart = reader.position
        let encodedBinCount = try reader.readVarint(.binCount)
        guard encodedBinCount <= UInt64(maxBins) else {
            throw LatencySketchDecodingError(
                .invalidValue("\(encodedBinCount) bins exceed maxBins \(maxBins)"),
                at: binCountStart, reading: .binCount)
        }
        // Every count takes at least one byte.
        guard encodedBinCount <= UInt64(reader.remaining) else {
            throw LatencySketchDecodingError(
                .invalidValue(
                    "\(encodedBinCount) bins cannot fit in the \(reader.remaining) bytes left"),
                at: binCountStart, reading: .binCount)
        }
        let binCount = Int(encodedBinCount)
        // Compared before any arithmetic, so that a garbage index cannot overflow.
        let highestFirstIndex = Int64(highestPossibleBinIndex - Swift.max(binCount - 1, 0))
        guard binCount == 0
            || (firstIndex >= Int64(lowestPossibleBinIndex) && firstIndex <= highestFirstIndex)
        else {
            throw LatencySketchDecodingError(
                .invalidValue(
                    "\(binCount) bins from index \(firstIndex) do not fit in the possible bins "
                        + "\(lowestPossibleBinIndex)...\(highestPossibleBinIndex)"),
                at: firstIndexStart, reading: .firstBinIndex)
        }

        var counts: [UInt64] = []
        counts.reserveCapacity(binCount)
        var total: UInt64? = 0
        for _ in 0..<binCount {
            let countInBin = try reader.readVarint(.binCounts)
            counts.append(countInBin)
            total = total.flatMap { sumUnlessOverflowing($0, countInBin) }
        }
        return DecodedBins(firstIndex: binCount == 0 ? 0 : Int(firstIndex), counts: counts, total: total)
    }

    /// The sparse layout: number of non-empty bins, then per bin its position (index of the
    /// first, empty bins skipped for the others) and count.
    private static func readSparseBins(
        from reader: inout SketchByteReader, maxBins: Int
    ) throws(LatencySketchDecodingError) -> DecodedBins {
        let nonEmptyCountStart = reader.position
        let encodedNonEmptyCount = try reader.readVarint(.nonEmptyBinCount)
        guard encodedNonEmptyCount <= UInt64(maxBins) else {
            throw LatencySketchDecodingError(
                .invalidValue("\(encodedNonEmptyCount) non-empty bins exceed maxBins \(maxBins)"),
                at: nonEmptyCountStart, reading: .nonEmptyBinCount)
        }
        // Every non-empty bin takes at least two bytes: its position and its count.
        guard encodedNonEmptyCount <= UInt64(reader.remaining / 2) else {
            throw LatencySketchDecodingError(
                .invalidValue(
                    "\(encodedNonEmptyCount) non-empty bins cannot fit in the \(reader.remaining) bytes left"),
                at: nonEmptyCountStart, reading: .nonEmptyBinCount)
        }
        let nonEmptyCount = Int(encodedNonEmptyCount)
        guard nonEmptyCount > 0 else { return DecodedBins(firstIndex: 0, counts: [], total: 0) }

        let firstIndexStart = reader.position
        let encodedFirstIndex = unzigzag(try reader.readVarint(.firstBinIndex))
        guard encodedFirstIndex >= Int64(lowestPossibleBinIndex),
            encodedFirstIndex <= Int64(highestPossibleBinIndex)
        else {
            throw LatencySketchDecodingError(
                .invalidValue(
                    "bin index \(encodedFirstIndex) is outside the possible bins "
                        + "\(lowestPossibleBinIndex)...\(highestPossibleBinIndex)"),
                at: firstIndexStart, reading: .firstBinIndex)
        }
        let firstIndex = Int(encodedFirstIndex)
        // The span from the first bin must stay within maxBins, as in every sketch.
        let highestAllowedIndex = Swift.min(highestPossibleBinIndex, firstIndex + maxBins - 1)

        var counts: [UInt64] = []
        var total: UInt64? = 0
        var index = firstIndex
        for ordinal in 0..<nonEmptyCount {
            if ordinal > 0 {
                let skipStart = reader.position
                let skipped = try reader.readVarint(.skippedBinCount)
                // `index + 1 + skipped <= highestAllowedIndex`, compared without overflow.
                guard skipped < UInt64(highestAllowedIndex - index) else {
                    let why =
                        skipped < UInt64(highestPossibleBinIndex - index)
                        ? "skipping \(skipped) empty bins after bin \(index) goes past bin "
                            + "\(highestAllowedIndex), the last of maxBins \(maxBins) from bin \(firstIndex)"
                        : "skipping \(skipped) empty bins after bin \(index) goes past the highest "
                            + "possible bin \(highestPossibleBinIndex)"
                    throw LatencySketchDecodingError(
                        .invalidValue(why), at: skipStart, reading: .skippedBinCount)
                }
                counts.append(contentsOf: repeatElement(0, count: Int(skipped)))
                index += 1 + Int(skipped)
            }
            let countStart = reader.position
            let countInBin = try reader.readVarint(.binCounts)
            guard countInBin > 0 else {
                throw LatencySketchDecodingError(
                    .invalidValue("non-empty bin \(index) has count 0"), at: countStart, reading: .binCounts)
            }
            counts.append(countInBin)
            total = total.flatMap { sumUnlessOverflowing($0, countInBin) }
        }
        return DecodedBins(firstIndex: firstIndex, counts: counts, total: total)
    }

    /// Throws unless the bin counts (nil: over 64 bits) and the zero count add up to `count`.
    private static func checkCountsAddUp(
        binTotal: UInt64?, zeroCount: UInt64, count: UInt64, at offset: Int
    ) throws(LatencySketchDecodingError) {
        let impliedCount = binTotal.flatMap { sumUnlessOverflowing($0, zeroCount) }
        guard impliedCount == count else {
            throw LatencySketchDecodingError(
                .countMismatch(binTotal: binTotal, zeroCount: zeroCount, count: count),
                at: offset, reading: .binCounts)
        }
    }

    /// Sum, min and max as three doubles, checked against what `count` values can produce.
    private static func readSumMinAndMax(
        from reader: inout SketchByteReader, count: UInt64
    ) throws(LatencySketchDecodingError) -> (sum: Double, min: Double, max: Double) {
        let sum = try reader.readDouble(.sum)
        let minStart = reader.position
        let min = try reader.readDouble(.min)
        let max = try reader.readDouble(.max)
        if count == 0 {
            // +0 exactly: version 2 writes no values for an empty sketch and decodes sum +0.
            guard min == .infinity, max == -.infinity, sum == 0, sum.sign == .plus else {
                throw LatencySketchDecodingError(
                    .invalidValue("an empty sketch must have min +inf, max -inf and sum +0, "
                        + "not \(min), \(max) and \(sum)"),
                    at: minStart, reading: .min)
            }
        } else {
            guard min >= 0, min <= max, max < .infinity, sum >= 0 else {
                throw LatencySketchDecodingError(
                    .invalidValue("min \(min), max \(max) and sum \(sum) are not possible "
                        + "for \(count) values"),
                    at: minStart, reading: .min)
            }
        }
        return (sum, min, max)
    }

    /// `lhs + rhs`, or nil if that overflows 64 bits.
    private static func sumUnlessOverflowing(_ lhs: UInt64, _ rhs: UInt64) -> UInt64? {
        let (total, overflow) = lhs.addingReportingOverflow(rhs)
        return overflow ? nil : total
    }

    /// Zigzag: 0, −1, 1, −2, … map to 0, 1, 2, 3, …, so that small negative indices stay short.
    private static func zigzag(_ value: Int) -> UInt64 {
        let wide = Int64(value)
        return UInt64(bitPattern: (wide << 1) ^ (wide >> 63))
    }

    private static func unzigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    /// The bytes `appendVarint` writes for `value`: one per started 7 bits, at least one.
    @inline(__always)
    private static func varintLength(_ value: UInt64) -> Int {
        Swift.max(1, (64 - value.leadingZeroBitCount + 6) / 7)
    }

    @inline(__always)
    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    private static func appendDouble(_ value: Double, to bytes: inout [UInt8]) {
        var bits = value.bitPattern
        for _ in 0..<8 {
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bits >>= 8
        }
    }
}

// MARK: - Encoding flags

extension LatencySketch {
    /// How version 2 stores the bins: bits 0–1 of the flags byte (see ``encoded()``).
    enum BinLayout: UInt8, Sendable {
        /// No bins (an empty sketch, or only values ≤ 1 ns): no bytes.
        case none = 0
        /// Every bin from the lowest to the highest non-empty one: best when most bins of the
        /// range are in use, i.e. many values.
        case dense = 1
        /// Only the non-empty bins, each with its distance from the previous one: best for a
        /// few values spread over a wide range.
        case sparse = 2
        /// One bin holding every value, derived from the single value: no bytes.
        case singleValueBin = 3
    }

    /// The flags byte of version 2: the bin layout and which optional fields are written.
    struct EncodingFlags: Sendable {
        var binLayout: BinLayout
        /// The zero count follows the count; absent, it is 0 (few sketches see values ≤ 1 ns).
        var writesZeroCount: Bool
        /// maxBins follows; absent, it is ``LatencySketch/defaultMaxBins``.
        var writesMaxBins: Bool
        /// One double is min and max, and `Double(count) × value` is the sum.
        var writesSingleValue: Bool

        private static let binLayoutMask: UInt8 = 0b0000_0011
        private static let zeroCountBit: UInt8 = 1 << 2
        private static let maxBinsBit: UInt8 = 1 << 3
        private static let singleValueBit: UInt8 = 1 << 4
        /// Must be 0: a later layout that needs them gets a new version, so that this build
        /// rejects it instead of misreading it.
        private static let reservedBits: UInt8 = 0b1110_0000

        init(binLayout: BinLayout, writesZeroCount: Bool, writesMaxBins: Bool, writesSingleValue: Bool) {
            self.binLayout = binLayout
            self.writesZeroCount = writesZeroCount
            self.writesMaxBins = writesMaxBins
            self.writesSingleValue = writesSingleValue
        }

        /// Parses and checks a flags byte read at `offset`.
        init(byte: UInt8, at offset: Int) throws(LatencySketchDecodingError) {
            guard byte & Self.reservedBits == 0 else {
                throw LatencySketchDecodingError(
                    .invalidValue("flags 0x\(String(byte, radix: 16)) set reserved bits"),
                    at: offset, reading: .flags)
            }
            // Two bits, four layouts: the fallback is unreachable.
            binLayout = BinLayout(rawValue: byte & Self.binLayoutMask) ?? .dense
            writesZeroCount = byte & Self.zeroCountBit != 0
            writesMaxBins = byte & Self.maxBinsBit != 0
            writesSingleValue = byte & Self.singleValueBit != 0
            guard binLayout != .singleValueBin || writesSingleValue else {
                throw LatencySketchDecodingError(
                    .invalidValue("the single-value-bin layout needs the single-value flag"),
                    at: offset, reading: .flags)
            }
        }

        var byte: UInt8 {
            binLayout.rawValue
                | (writesZeroCount ? Self.zeroCountBit : 0)
                | (writesMaxBins ? Self.maxBinsBit : 0)
                | (writesSingleValue ? Self.singleValueBit : 0)
        }
    }
}

/// Reads the fields of an encoded sketch, turning every shortfall into a precise error.
private struct SketchByteReader {
    typealias Field = LatencySketchDecodingError.Field

    let bytes: [UInt8]
    var position = 0
    /// For the trailing-bytes error, which names the field the extra bytes follow.
    private(set) var lastFieldRead: Field = .version

    var remaining: Int { bytes.count - position }

    mutating func readByte(_ field: Field) throws(LatencySketchDecodingError) -> UInt8 {
        lastFieldRead = field
        return try nextByte(field)
    }

    /// An unsigned LEB128 varint of at most 10 bytes whose value fits in 64 bits.
    @inline(__always)
    mutating func readVarint(_ field: Field) throws(LatencySketchDecodingError) -> UInt64 {
        lastFieldRead = field
        let start = position
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try nextByte(field)
            let payload = UInt64(byte & 0x7F)
            // The 10th byte may only contribute the 64th bit.
            guard shift < 63 || (shift == 63 && payload <= 1) else {
                throw LatencySketchDecodingError(.malformedVarint, at: start, reading: field)
            }
            value |= payload << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    mutating func readDouble(_ field: Field) throws(LatencySketchDecodingError) -> Double {
        lastFieldRead = field
        guard remaining >= 8 else {
            throw LatencySketchDecodingError(.truncated, at: bytes.count, reading: field)
        }
        var bits: UInt64 = 0
        for offset in 0..<8 {
            bits |= UInt64(bytes[position + offset]) << (8 * UInt64(offset))
        }
        position += 8
        return Double(bitPattern: bits)
    }

    @inline(__always)
    private mutating func nextByte(_ field: Field) throws(LatencySketchDecodingError) -> UInt8 {
        guard position < bytes.count else {
            throw LatencySketchDecodingError(.truncated, at: position, reading: field)
        }
        defer { position += 1 }
        return bytes[position]
    }
}
