/// One stored rollup bucket of one series: `count` requests (or log lines), `errors` among
/// them, and their latency summary — exact sum, min and max in milliseconds and the encoded
/// latency sketch (nil for log series and for buckets without any latency).
public struct RollupRow: Sendable, Equatable {
    /// The stored resolutions in seconds, finest first: the aggregator's 10 s buckets and
    /// the minute and hour rows they are merged into.
    public static let resolutions: [Int64] = [10, 60, 3600]

    public var seriesID: Int64
    /// Seconds: 10, 60 or 3600.
    public var resolution: Int64
    /// Unix seconds, a multiple of `resolution`.
    public var bucketStart: Int64
    public var count: Int64
    public var errors: Int64
    public var sumMs: Double
    public var minMs: Double?
    public var maxMs: Double?
    public var sketch: [UInt8]?

    public init(seriesID: Int64, resolution: Int64, bucketStart: Int64, count: Int64, errors: Int64,
                sumMs: Double = 0, minMs: Double? = nil, maxMs: Double? = nil, sketch: [UInt8]? = nil) {
        self.seriesID = seriesID
        self.resolution = resolution
        self.bucketStart = bucketStart
        self.count = count
        self.errors = errors
        self.sumMs = sumMs
        self.minMs = minMs
        self.maxMs = maxMs
        self.sketch = sketch
    }
}

/// A bucket to add into the store: merged into the stored row of the same series, resolution
/// and start if there is one (late records), inserted otherwise.
public struct RollupDelta: Sendable {
    public var series: RollupSeriesKey
    public var resolution: Int64
    public var bucketStart: Int64
    public var count: Int64
    public var errors: Int64
    public var sumMs: Double
    public var minMs: Double?
    public var maxMs: Double?
    public var sketch: [UInt8]?

    public init(series: RollupSeriesKey, resolution: Int64, bucketStart: Int64, count: Int64, errors: Int64,
                sumMs: Double, minMs: Double?, maxMs: Double?, sketch: [UInt8]?) {
        self.series = series
        self.resolution = resolution
        self.bucketStart = bucketStart
        self.count = count
        self.errors = errors
        self.sumMs = sumMs
        self.minMs = minMs
        self.maxMs = maxMs
        self.sketch = sketch
    }
}

/// Which stored buckets a query needs: one resolution, bucket starts in [from, through].
public struct RollupRange: Sendable, Equatable, Hashable {
    public var resolution: Int64
    public var from: Int64
    public var through: Int64

    public init(resolution: Int64, from: Int64, through: Int64) {
        self.resolution = resolution
        self.from = from
        self.through = through
    }
}

/// Rows read in one snapshot, the series their ids stand for, and the flush generation that
/// snapshot had seen.
public struct RollupReadResult: Sendable {
    public var rows: [RollupRow]
    public var series: [Int64: RollupSeriesKey]
    public var generation: Int64

    public init(rows: [RollupRow], series: [Int64: RollupSeriesKey], generation: Int64) {
        self.rows = rows
        self.series = series
        self.generation = generation
    }
}
