/// Records taken from the ingest queue for one write transaction, with the
/// acknowledgements to complete once that transaction committed (or failed).
public struct IngestBatch: Sendable {
    public var logs: [LogRecord]
    public var spans: [TraceSpan]
    public var acknowledgements: [IngestAcknowledgement]

    public init(logs: [LogRecord] = [], spans: [TraceSpan] = [], acknowledgements: [IngestAcknowledgement] = []) {
        self.logs = logs
        self.spans = spans
        self.acknowledgements = acknowledgements
    }

    public var recordCount: Int { logs.count + spans.count }

    public mutating func append(contentsOf other: IngestBatch) {
        logs.append(contentsOf: other.logs)
        spans.append(contentsOf: other.spans)
        acknowledgements.append(contentsOf: other.acknowledgements)
    }

    /// Tells every waiting sender how its records fared.
    public func complete(_ result: Result<Void, any Error>) {
        for acknowledgement in acknowledgements { acknowledgement.complete(result) }
    }
}

/// A sender waiting for its records to be committed.
public struct IngestAcknowledgement: Sendable {
    public let complete: @Sendable (Result<Void, any Error>) -> Void

    public init(_ complete: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        self.complete = complete
    }
}

/// Where a writer takes its batches from; implemented by the bounded ingest queue.
public protocol IngestBatchSource: Sendable {
    /// Suspends until records are queued, then takes whole submissions up to `maxRecords`
    /// (at least one). Returns nil once the source is finished and drained.
    func nextBatch(maxRecords: Int) async -> IngestBatch?
    /// Takes what is queued right now, up to `maxRecords`, without waiting.
    func pollBatch(maxRecords: Int) -> IngestBatch?
    /// Refuses further submissions; what is queued is still handed out, then nil.
    func finish()
}
