import ObsAggregate
import ObsStorage

/// An SLO's loaded rollups reduced to (total, bad) per stored bucket and per unflushed 10 s
/// bucket, so that a window sums counts instead of merging sketches: "requests above the
/// threshold" is additive across buckets, a quantile is not.
struct SLOCells {
    private var stored: [Int64: [Int64: SLOCounts]] = [:]
    private var unflushed: [(start: Int64, counts: SLOCounts)] = []

    init(data: RollupData, slo: SLODefinition) throws(QueryError) {
        for (key, rows) in data.stored {
            for row in rows {
                let bad = try Self.bad(of: row, slo: slo, key: key)
                stored[row.resolution, default: [:]][row.bucketStart, default: SLOCounts()].add(SLOCounts(total: row.count, bad: bad))
            }
        }
        for cells in data.unflushed.values {
            for cell in cells {
                let bad = slo.indicator == .errors ? cell.cell.errors : Self.slow(cell.cell.latency, slo)
                unflushed.append((cell.bucketStart, SLOCounts(total: cell.cell.count, bad: bad)))
            }
        }
    }

    func counts(in window: WindowPlan.Window) -> SLOCounts {
        var total = SLOCounts()
        for part in window.cells {
            if let counts = stored[part.resolution]?[part.start] { total.add(counts) }
        }
        for cell in unflushed where cell.start >= window.start && cell.start < window.end {
            total.add(cell.counts)
        }
        return total
    }

    /// Failed requests, or requests slower than the threshold — the sketch is decoded only
    /// when the exact min and max of the bucket leave it undecided.
    private static func bad(of row: RollupRow, slo: SLODefinition, key: RollupSeriesKey) throws(QueryError) -> Int64 {
        guard slo.indicator == .latency else { return row.errors }
        let threshold = slo.thresholdMs ?? .infinity
        if let maxMs = row.maxMs, maxMs <= threshold { return 0 }
        guard let bytes = row.sketch else { return 0 }
        let sketch: LatencySketch
        do {
            sketch = try LatencySketch(decoding: bytes)
        } catch {
            throw QueryError.storage("the stored rollup of \(key) at \(row.bucketStart) (resolution \(row.resolution) s) is damaged: \(error)")
        }
        return slow(sketch, slo)
    }

    private static func slow(_ sketch: LatencySketch, _ slo: SLODefinition) -> Int64 {
        Int64(clamping: sketch.count(above: slo.thresholdMs ?? .infinity))
    }
}
