import Logging
import ObsCore
import ServiceLifecycle

/// Group commit: takes whatever the ingest queue holds (whole submissions, up to a size
/// bound), commits it in one transaction, and only then acknowledges every submission in it.
/// While one transaction commits, new submissions pile up and share the next one, so batch
/// size adapts to load. When a batch is small it waits `linger` once for more (time bound).
///
/// On graceful shutdown it finishes the source, drains everything queued, and returns.
/// The linger is a sleep on the injected clock (with a manual clock in tests, set it to zero).
public final class BatchWriter: Service {
    public struct Configuration: Sendable {
        public var maxBatchRecords: Int
        /// Batches smaller than this wait `linger` for more records before committing.
        public var lingerBelowRecords: Int
        public var linger: Duration

        public init(maxBatchRecords: Int = 8192, lingerBelowRecords: Int = 256, linger: Duration = .milliseconds(2)) {
            self.maxBatchRecords = maxBatchRecords
            self.lingerBelowRecords = lingerBelowRecords
            self.linger = linger
        }
    }

    /// Called after each transaction: records in it, seconds it took, and whether it committed.
    public typealias CommitObserver = @Sendable (_ records: Int, _ seconds: Double, _ committed: Bool) -> Void

    private let source: any IngestBatchSource
    private let writer: any RecordWriter
    private let configuration: Configuration
    private let observer: CommitObserver
    private let onCommit: @Sendable (_ logs: [LogRecord], _ spans: [TraceSpan], _ ids: CommittedRecordIDs) -> Void
    private let logger: Logger
    private let clock: any ObsClock

    /// `onCommit` receives every committed batch before its senders are acknowledged:
    /// aggregation counts records only once they are stored, and a sender that was told
    /// "stored" finds them in query results right away.
    public init(
        source: any IngestBatchSource, writer: any RecordWriter, configuration: Configuration = .init(),
        logger: Logger, clock: any ObsClock = SystemClock(), observer: @escaping CommitObserver = { _, _, _ in },
        onCommit: @escaping @Sendable (_ logs: [LogRecord], _ spans: [TraceSpan], _ ids: CommittedRecordIDs) -> Void = { _, _, _ in }
    ) {
        self.source = source
        self.writer = writer
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.observer = observer
        self.onCommit = onCommit
    }

    public func run() async throws {
        let source = self.source
        await withGracefulShutdownHandler {
            await drain()
        } onGracefulShutdown: {
            source.finish()
        }
    }

    /// Writes batches until the source is finished and empty.
    ///
    /// `onCommit` of one batch (then its acknowledgements) runs beside the next batch's
    /// transaction rather than before it: the two stages overlap, and at most one `onCommit`
    /// runs at a time, in commit order.
    public func drain() async {
        let stopwatch = ContinuousClock()
        let onCommit = self.onCommit
        await withTaskGroup(of: Void.self) { completions in
            var completing = false
            while var batch = await source.nextBatch(maxRecords: configuration.maxBatchRecords) {
                if (batch.recordCount < configuration.lingerBelowRecords) && (configuration.linger > .zero) {
                    try? await clock.sleep(for: configuration.linger)
                    if let more = source.pollBatch(maxRecords: configuration.maxBatchRecords - batch.recordCount) {
                        batch.append(contentsOf: more)
                    }
                }
                let started = stopwatch.now
                do {
                    let ids = try await writer.write(logs: batch.logs, spans: batch.spans)
                    observer(batch.recordCount, seconds(stopwatch.now - started), true)
                    // The previous batch's completion ran while this one committed.
                    if completing { await completions.next() }
                    let committed = batch
                    completions.addTask {
                        onCommit(committed.logs, committed.spans, ids)
                        committed.complete(.success(()))
                    }
                    completing = true
                } catch {
                    observer(batch.recordCount, seconds(stopwatch.now - started), false)
                    logger.error("A batch could not be committed; its senders get an error.", metadata: [
                        "batch.records": "\(batch.recordCount)", "error": "\(error)",
                    ])
                    batch.complete(.failure(error))
                }
            }
        }
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
