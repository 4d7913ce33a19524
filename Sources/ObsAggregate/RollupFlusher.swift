import Logging
import ObsCore
import ObsStorage
import ServiceLifecycle

/// Writes the aggregator's closed buckets to the rollup store every `interval`, and at
/// graceful shutdown every bucket, open or not — after the ingest writer has drained, so a
/// restart loses no bucket; buckets the next run receives more records for merge into the
/// stored rows, so nothing is counted twice either. Each write carries the watermark from
/// which a start after a crash rebuilds what was only in memory.
public final class RollupFlusher: Service {
    private let aggregator: EventTimeAggregator
    private let writer: any RollupWriter
    private let interval: Duration
    private let clock: any ObsClock
    private let logger: Logger
    private let observer: @Sendable (_ buckets: Int, _ committed: Bool) -> Void

    public init(aggregator: EventTimeAggregator, writer: any RollupWriter, interval: Duration = .seconds(5), logger: Logger,
                clock: any ObsClock,
                observer: @escaping @Sendable (_ buckets: Int, _ committed: Bool) -> Void = { _, _ in }) {
        self.aggregator = aggregator
        self.writer = writer
        self.interval = interval
        self.clock = clock
        self.logger = logger
        self.observer = observer
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await self.clock.sleep(for: self.interval) }
            guard !Task.isShuttingDownGracefully && !Task.isCancelled else { break }
            do {
                try await flush()
            } catch {
                logger.warning("Writing rollups failed; the buckets stay in memory and are retried.", metadata: ["error": "\(error)"])
            }
        }
        do {
            try await flush(everything: true)
        } catch {
            logger.error("Writing the open buckets at shutdown failed; the next start rebuilds them from the stored records.",
                         metadata: ["error": "\(error)"])
        }
    }

    /// Writes what is closed at the clock's now (everything when `everything`) in one transaction;
    /// returns the number of 10 s buckets written.
    @discardableResult
    public func flush(everything: Bool = false) async throws(StorageError) -> Int {
        guard let pending = aggregator.beginFlush(now: clock.now(), everything: everything) else { return 0 }
        do {
            try await writer.add(pending.deltas, generation: pending.generation, watermark: pending.watermark)
        } catch {
            aggregator.finishFlush(pending, committed: false)
            observer(pending.bucketCount, false)
            throw error
        }
        aggregator.finishFlush(pending, committed: true)
        observer(pending.bucketCount, true)
        return pending.bucketCount
    }
}
