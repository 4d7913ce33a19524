import Synchronization

/// What the aggregator did, for `/metrics`. Counters only grow.
public final class AggregationCounters: Sendable {
    /// Request observations and log lines counted.
    public let observations = Atomic<Int>(0)
    /// Of those, records whose bucket had already been closed: merged into stored rows.
    public let lateRecords = Atomic<Int>(0)
    /// Request observations whose new (route, method) exceeded the service's series limit
    /// and were counted under `route="other"`.
    public let foldedObservations = Atomic<Int>(0)
    /// Records not aggregated because their time is outside what rollups keep (older than
    /// the 1 h retention, or further ahead of the clock than the tolerance). They are stored.
    public let outOfRangeRecords = Atomic<Int>(0)
    /// Request log lines not counted because their service sends spans for the same requests.
    public let skippedRequestLogs = Atomic<Int>(0)

    public init() {}
}
