import Synchronization

/// What the aggregator did, for `/metrics`. Counters only grow.
public final class AggregationCounters: Sendable {
    /// Request observations and log lines counted.
    public let observations = Atomic<Int>(0)
    /// Of those, records whose bucket had already been closed: merged into stored rows.
    public let lateRecords = Atomic<Int>(0)
    /// Records counted under `route="other"` (their service reached its series limit) or
    /// `service="other"` (too many services).
    public let foldedObservations = Atomic<Int>(0)
    /// Records not aggregated because their time is outside what rollups keep (older than
    /// the 1 h retention, or further ahead of the clock than the tolerance). They are stored.
    public let outOfRangeRecords = Atomic<Int>(0)
    /// Request log lines not counted because their service sends spans for the same requests.
    public let skippedRequestLogs = Atomic<Int>(0)

    public init() {}
}
