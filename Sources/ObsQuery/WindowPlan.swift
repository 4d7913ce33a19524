import ObsCore
import ObsStorage

/// Which stored buckets answer each window: the coarsest rows that fit inside it — hours,
/// then minutes, then 10 s buckets at the ragged edges — so a 24 h window reads about 24 + 2·59
/// + 2·5 rows per series instead of 8,640, and sketches are merged, never averaged.
///
/// Windows are half-open [start, end) in unix seconds, multiples of 10 (the finest bucket).
struct WindowPlan {
    struct Window {
        var start: Int64
        var end: Int64
        /// (resolution, bucket start) of every stored row the window is made of.
        var cells: [(resolution: Int64, start: Int64)]
    }

    let windows: [Window]

    init(windows bounds: [(start: Int64, end: Int64)]) {
        windows = bounds.map { bound in
            var cells: [(resolution: Int64, start: Int64)] = []
            Self.decompose(bound.start, bound.end, resolutions: [3600, 60, 10], into: &cells)
            return Window(start: bound.start, end: bound.end, cells: cells)
        }
    }

    private static func decompose(_ start: Int64, _ end: Int64, resolutions: ArraySlice<Int64>, into cells: inout [(resolution: Int64, start: Int64)]) {
        guard start < end, let resolution = resolutions.first else { return }
        if resolutions.count == 1 {
            var bucket = start
            while bucket < end {
                cells.append((resolution, bucket))
                bucket += resolution
            }
            return
        }
        let first = start.roundedUp(toMultipleOf: resolution)
        let last = end.roundedDown(toMultipleOf: resolution)
        guard first < last else {
            decompose(start, end, resolutions: resolutions.dropFirst(), into: &cells)
            return
        }
        decompose(start, first, resolutions: resolutions.dropFirst(), into: &cells)
        var bucket = first
        while bucket < last {
            cells.append((resolution, bucket))
            bucket += resolution
        }
        decompose(last, end, resolutions: resolutions.dropFirst(), into: &cells)
    }

    /// The most rows a window of this length can be made of: its whole hours, plus up to 59
    /// minutes and 5 ten-second buckets at each edge.
    static func maximumCells(rangeSeconds: Int64) -> Int64 {
        rangeSeconds / 3600 + 2 * 59 + 2 * 5 + 1
    }

    /// The stored ranges to read: per resolution, runs of consecutive buckets.
    var ranges: [RollupRange] {
        var starts: [Int64: Set<Int64>] = [:]
        for window in windows {
            for cell in window.cells { starts[cell.resolution, default: []].insert(cell.start) }
        }
        var ranges: [RollupRange] = []
        for (resolution, set) in starts.sorted(by: { $0.key < $1.key }) {
            let sorted = set.sorted()
            guard var from = sorted.first else { continue }
            var through = from
            for start in sorted.dropFirst() {
                if start == through + resolution {
                    through = start
                } else {
                    ranges.append(RollupRange(resolution: resolution, from: from, through: through))
                    from = start
                    through = start
                }
            }
            ranges.append(RollupRange(resolution: resolution, from: from, through: through))
        }
        return ranges
    }
}
