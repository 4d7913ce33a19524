/// Fixed-capacity store of samples keyed by grid index (time / step).
///
/// Slot times are implicit: the ring remembers only its newest index and clears every slot it
/// skips over when advancing, so each slot holds either the sample of the one index in
/// (newest − capacity, newest] that maps to it, or nothing. That is equivalent to storing the
/// slot's time next to its value, at half the memory, and it lets feeding skip arbitrary times.
struct AnomalyTimeRing: Sendable {
    /// NaN marks "no value" (a nil sample, a skipped time, or never written).
    private(set) var values: [Double]
    private(set) var newestIndex: Int64?

    init(capacity: Int) {
        values = Array(repeating: .nan, count: capacity)
        newestIndex = nil
    }

    init(values: [Double], newestIndex: Int64?) {
        self.values = values
        self.newestIndex = newestIndex
    }

    var capacity: Int { values.count }

    @inline(__always) private func slot(_ index: Int64) -> Int {
        let c = Int64(values.count)
        let r = index % c
        return Int(r < 0 ? r + c : r)
    }

    /// Later indices advance the ring; the newest index may be rewritten; older ones are ignored
    /// because callers promise ascending feeding and rewriting history would break equality with a rebuild.
    mutating func record(_ value: Double, at index: Int64) {
        guard !values.isEmpty else { return }
        let stored = value.isFinite ? value : .nan
        if let newest = newestIndex {
            if index < newest { return }
            if index > newest {
                let skipped = min(index - newest - 1, Int64(values.count))
                var i = newest + 1
                for _ in 0..<skipped {
                    values[slot(i)] = .nan
                    i += 1
                }
            }
        } else {
            for i in values.indices { values[i] = .nan }
        }
        values[slot(index)] = stored
        newestIndex = index
    }

    /// The finite value recorded at `index`, or nil when absent or no longer held.
    @inline(__always) func value(at index: Int64) -> Double? {
        guard let newest = newestIndex, index <= newest, index > newest - Int64(values.count) else { return nil }
        let v = values[slot(index)]
        return v.isNaN ? nil : v
    }

    /// Oldest index in [lo, hi] holding a value.
    func firstValued(from lo: Int64, through hi: Int64) -> Int64? {
        guard let newest = newestIndex else { return nil }
        let start = max(lo, newest - Int64(values.count) + 1)
        let end = min(hi, newest)
        guard start <= end else { return nil }
        var i = start
        while i <= end {
            if !values[slot(i)].isNaN { return i }
            i += 1
        }
        return nil
    }

    static func bitwiseEqual(_ a: AnomalyTimeRing, _ b: AnomalyTimeRing) -> Bool {
        guard a.newestIndex == b.newestIndex, a.values.count == b.values.count else { return false }
        for i in a.values.indices where a.values[i].bitPattern != b.values[i].bitPattern {
            // All absent slots are the canonical NaN, so differing bits mean differing content.
            return false
        }
        return true
    }
}
