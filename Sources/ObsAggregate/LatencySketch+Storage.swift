import ObsStorage

extension LatencySketch {
    /// The store's merge operator for encoded sketches (late buckets merging into stored
    /// rows). A stored sketch that no longer decodes is replaced by the added one rather than
    /// failing every later flush; the added one always comes from this process.
    public static let mergeEncoded: SketchMerger = { stored, added in
        guard var merged = try? LatencySketch(decoding: stored) else { return added }
        guard let addition = try? LatencySketch(decoding: added) else { return stored }
        merged.merge(addition)
        return merged.encoded()
    }
}
