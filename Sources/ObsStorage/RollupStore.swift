/// Merges two encoded latency sketches into one; the aggregation layer owns the format and
/// hands storage this operator so that late buckets merge into stored rows in SQL.
public typealias SketchMerger = @Sendable (_ stored: [UInt8], _ added: [UInt8]) -> [UInt8]

/// Where closed aggregation buckets go. Each `add` is one transaction: all its deltas are
/// merged and the flush generation and watermark move on, or nothing changes.
public protocol RollupWriter: Sendable {
    func add(_ deltas: [RollupDelta], generation: Int64, watermark: RollupWatermark) async throws(StorageError)
    /// The generation and watermark of the last committed `add` (0 and `.empty` for a new store).
    func committedState() async throws(StorageError) -> (generation: Int64, watermark: RollupWatermark)
}

/// Reads rollups for the query layer.
public protocol RollupReader: Sendable {
    /// Every stored series of a kind (of one service when `service` is given), with its id.
    func series(kind: RollupSeriesKey.Kind, service: String?) async throws(StorageError) -> [(id: Int64, key: RollupSeriesKey)]
    /// The rows of `series` in each range, with the ids of those series, all read in one
    /// snapshot. Sketches are read only when asked for: counting questions never decode them.
    func rows(in ranges: [RollupRange], series: Set<RollupSeriesKey>, withSketches: Bool) async throws(StorageError) -> RollupReadResult
}
