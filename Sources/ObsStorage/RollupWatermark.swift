/// How far the stored rollups reach into the stored records, so that after a crash
/// (`kill -9`) exactly the records whose buckets were only in memory are aggregated again —
/// none lost, none counted twice.
///
/// Records are identified by their row ids, which grow with every commit:
/// - every log (span) with an id at or below `allLogID` (`allSpanID`) is in the rollups,
///   whatever its time — set when a graceful shutdown wrote every bucket;
/// - of the later ones, those at or below `logID` (`spanID`) whose 10 s bucket starts before
///   `closedBefore` (unix seconds) are in the rollups: the aggregator writes every bucket
///   before that boundary each time it flushes, late ones included;
/// - the rest — later ids, or buckets at or after the boundary — were only in memory.
public struct RollupWatermark: Sendable, Equatable {
    public var allLogID: Int64
    public var allSpanID: Int64
    public var closedBefore: Int64
    public var logID: Int64
    public var spanID: Int64

    public init(allLogID: Int64, allSpanID: Int64, closedBefore: Int64, logID: Int64, spanID: Int64) {
        self.allLogID = allLogID
        self.allSpanID = allSpanID
        self.closedBefore = closedBefore
        self.logID = logID
        self.spanID = spanID
    }

    /// A store with no rollups yet.
    public static let empty = RollupWatermark(allLogID: 0, allSpanID: 0, closedBefore: .min, logID: 0, spanID: 0)

    /// Whether a record with this id and bucket start must be aggregated again.
    public func needsLog(id: Int64, bucketStart: Int64) -> Bool {
        id > allLogID && (id > logID || bucketStart >= closedBefore)
    }

    public func needsSpan(id: Int64, bucketStart: Int64) -> Bool {
        id > allSpanID && (id > spanID || bucketStart >= closedBefore)
    }
}

/// The highest row ids a commit gave its logs and spans (nil when it had none of a kind).
public struct CommittedRecordIDs: Sendable, Equatable {
    public var lastLogID: Int64?
    public var lastSpanID: Int64?

    public init(lastLogID: Int64? = nil, lastSpanID: Int64? = nil) {
        self.lastLogID = lastLogID
        self.lastSpanID = lastSpanID
    }
}
