import ObsStorage

/// What one series accumulates in one bucket: requests (or log lines), errors among them,
/// and the latency sketch (with exact sum, min and max) of those that had a duration.
public struct RollupCell: Sendable, Equatable {
    public var count: Int64 = 0
    public var errors: Int64 = 0
    public var latency = LatencySketch()

    public init() {}

    public init(count: Int64, errors: Int64, latency: LatencySketch) {
        self.count = count
        self.errors = errors
        self.latency = latency
    }

    public mutating func merge(_ other: RollupCell) {
        count += other.count
        errors += other.errors
        if !other.latency.isEmpty { latency.merge(other.latency) }
    }

    /// A stored row read back; a sketch that fails to decode is reported, not guessed.
    public init(row: RollupRow) throws(LatencySketchDecodingError) {
        count = row.count
        errors = row.errors
        if let bytes = row.sketch { latency = try LatencySketch(decoding: bytes) }
    }

    func delta(series: RollupSeriesKey, resolution: Int64, bucketStart: Int64) -> RollupDelta {
        let hasLatency = !latency.isEmpty
        return RollupDelta(
            series: series, resolution: resolution, bucketStart: bucketStart, count: count, errors: errors,
            sumMs: hasLatency ? latency.sum : 0, minMs: hasLatency ? latency.min : nil, maxMs: hasLatency ? latency.max : nil,
            sketch: hasLatency ? latency.encoded() : nil
        )
    }
}

/// A bucket not yet in the store: open, or closed and on its way there.
public struct UnflushedCell: Sendable {
    public var series: RollupSeriesKey
    /// Unix seconds, a multiple of 10.
    public var bucketStart: Int64
    public var cell: RollupCell
}
