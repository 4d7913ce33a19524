import ObsStorage

/// What the query layer reads: stored rollups, plus — inside the daemon — the aggregator's
/// buckets that are not stored yet, each bucket counted exactly once.
///
/// Consistency with a flush running concurrently comes from the flush generation: memory is
/// snapshotted first (open buckets, and the in-flight flush with its generation), then the
/// store is read in one snapshot that reports the generation it saw. An in-flight flush the
/// store already shows is dropped from the memory side; if a later flush committed between
/// the two reads (open buckets may have moved to the store), the read is retried.
public struct RollupQuerySource: Sendable {
    let reader: any RollupReader
    let aggregator: EventTimeAggregator?

    /// `aggregator` is nil when reading a store with no daemon attached (`obs query --db`).
    public init(reader: any RollupReader, aggregator: EventTimeAggregator?) {
        self.reader = reader
        self.aggregator = aggregator
    }

    /// Every series of a kind (of one service when `service` is given), stored or only in memory.
    ///
    /// Memory is read first, then the store, as in `load`: a series whose only bucket a flush
    /// moves to the store in between is in one of the two (read the other way round, it could
    /// be in neither, and a query would miss it).
    public func series(kind: RollupSeriesKey.Kind, service: String? = nil) async throws(StorageError) -> Set<RollupSeriesKey> {
        let inMemory = aggregator?.unflushedSeries(kind: kind) ?? []
        var catalog = Set(try await reader.series(kind: kind, service: service).map(\.key))
        for key in inMemory where service == nil || key.service == service {
            catalog.insert(key)
        }
        return catalog
    }

    /// Stored rows of `series` in `ranges`, and unflushed 10 s buckets starting in
    /// [unflushedFrom, unflushedThrough].
    public func load(series wanted: Set<RollupSeriesKey>, ranges: [RollupRange], unflushedFrom: Int64, unflushedThrough: Int64,
                     withSketches: Bool) async throws(StorageError) -> RollupData {
        var attempt = 0
        while true {
            attempt += 1
            let snapshot = aggregator?.snapshot(series: wanted, from: unflushedFrom, through: unflushedThrough)
            let stored = try await reader.rows(in: ranges, series: wanted, withSketches: withSketches)
            var unflushed = snapshot?.open ?? []
            if let snapshot {
                let expected = snapshot.inFlight?.generation ?? snapshot.committedGeneration
                if stored.generation > expected && attempt < 5 { continue }
                if let inFlight = snapshot.inFlight, stored.generation < inFlight.generation {
                    unflushed.append(contentsOf: inFlight.cells)
                }
            }
            var data = RollupData()
            for row in stored.rows {
                if let key = stored.series[row.seriesID] { data.stored[key, default: []].append(row) }
            }
            for cell in unflushed { data.unflushed[cell.series, default: []].append(cell) }
            return data
        }
    }
}

/// Rollups of several series, as loaded for one query.
public struct RollupData: Sendable {
    public var stored: [RollupSeriesKey: [RollupRow]] = [:]
    public var unflushed: [RollupSeriesKey: [UnflushedCell]] = [:]

    public init() {}
}
