/// Why bytes could not be decoded as a ``LatencySketch``: what was wrong, at which byte
/// offset, while reading which field. For example
/// `sketch: truncated at byte 17 reading bin counts`.
public struct LatencySketchDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field of the encoding being read (see ``LatencySketch/encoded()`` for the layout).
    public enum Field: String, Sendable {
        case version
        /// Version 2: the bin layout and which optional fields follow.
        case flags
        case count
        case zeroCount = "zero count"
        case maxBins
        case firstBinIndex = "first bin index"
        /// The dense layout's number of bins, empty ones included.
        case binCount = "number of bins"
        /// The sparse layout's number of listed bins.
        case nonEmptyBinCount = "number of non-empty bins"
        /// The sparse layout's distance from one listed bin to the next.
        case skippedBinCount = "empty bins skipped"
        case binCounts = "bin counts"
        /// Version 2: the one value that stands for sum, min and max.
        case value = "single value"
        case sum
        case min
        case max
    }

    public enum Problem: Equatable, Sendable {
        /// The input ended in the middle of the field.
        case truncated
        /// The first byte names a layout this build cannot read.
        case unsupportedVersion(UInt8)
        /// A varint longer than 10 bytes or larger than 64 bits.
        case malformedVarint
        /// A well-formed field whose value is impossible; the text says what and why.
        case invalidValue(String)
        /// The bin counts (nil if their total overflows 64 bits) plus the zero count do not
        /// add up to the count.
        case countMismatch(binTotal: UInt64?, zeroCount: UInt64, count: UInt64)
        /// Bytes after the last field, as if two encodings had been concatenated.
        case trailingBytes(Int)
    }

    public var problem: Problem
    /// Offset from the start of the input: where the input ended for `.truncated`, where the
    /// offending field starts for the others, where the extra bytes start for `.trailingBytes`.
    public var byteOffset: Int
    public var field: Field

    public init(_ problem: Problem, at byteOffset: Int, reading field: Field) {
        self.problem = problem
        self.byteOffset = byteOffset
        self.field = field
    }

    public var description: String {
        switch problem {
        case .truncated:
            return "sketch: truncated at byte \(byteOffset) reading \(field.rawValue)"
        case .unsupportedVersion(let version):
            return "sketch: unsupported version \(version) at byte \(byteOffset) "
                + "(this build reads versions \(LatencySketch.legacyEncodingVersion) "
                + "and \(LatencySketch.encodingVersion))"
        case .malformedVarint:
            return "sketch: malformed varint (over 64 bits) at byte \(byteOffset) reading \(field.rawValue)"
        case .invalidValue(let why):
            return "sketch: \(why) at byte \(byteOffset) reading \(field.rawValue)"
        case .countMismatch(let binTotal, let zeroCount, let count):
            let bins = binTotal.map(String.init) ?? "more than 2^64"
            return "sketch: bin counts (\(bins)) plus zero count (\(zeroCount)) do not add up to "
                + "count (\(count)) at byte \(byteOffset) reading \(field.rawValue)"
        case .trailingBytes(let extra):
            return "sketch: \(extra) unexpected byte\(extra == 1 ? "" : "s") at byte \(byteOffset) "
                + "after the last field (\(field.rawValue))"
        }
    }
}
