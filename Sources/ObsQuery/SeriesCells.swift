import ObsAggregate
import ObsStorage

/// Loaded rollups indexed for window lookups: per series, stored cells by resolution and
/// bucket start, and unflushed 10 s cells in time order.
struct SeriesCells {
    private var stored: [RollupSeriesKey: [Int64: [Int64: RollupCell]]] = [:]
    private var unflushed: [RollupSeriesKey: [UnflushedCell]] = [:]

    /// Indexes the rows of `keys` (all series in `data` when nil), decoding sketches only
    /// when the reduction needs them.
    init(data: RollupData, keys: [RollupSeriesKey]? = nil, withSketches: Bool) throws(QueryError) {
        for key in keys ?? Array(data.stored.keys) {
            guard let rows = data.stored[key] else { continue }
            var byResolution: [Int64: [Int64: RollupCell]] = [:]
            for row in rows {
                var cell: RollupCell
                if withSketches {
                    do {
                        cell = try RollupCell(row: row)
                    } catch {
                        throw QueryError.storage("the stored rollup of \(key) at \(row.bucketStart) (resolution \(row.resolution) s) is damaged: \(error)")
                    }
                } else {
                    cell = RollupCell(count: row.count, errors: row.errors, latency: LatencySketch())
                }
                byResolution[row.resolution, default: [:]][row.bucketStart] = cell
            }
            stored[key] = byResolution
        }
        for key in keys ?? Array(data.unflushed.keys) {
            guard let cells = data.unflushed[key] else { continue }
            unflushed[key] = cells.sorted { $0.bucketStart < $1.bucketStart }
        }
    }

    /// Adds everything `key` recorded in the window — its stored cells plus unflushed
    /// buckets — into `merged`.
    func accumulate(_ key: RollupSeriesKey, in window: WindowPlan.Window, into merged: inout RollupCell) {
        if let byResolution = stored[key] {
            for part in window.cells {
                if let cell = byResolution[part.resolution]?[part.start] { merged.merge(cell) }
            }
        }
        if let cells = unflushed[key] {
            for cell in cells where cell.bucketStart >= window.start && cell.bucketStart < window.end {
                merged.merge(cell.cell)
            }
        }
    }
}
