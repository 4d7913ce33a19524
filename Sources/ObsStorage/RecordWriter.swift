import ObsCore

/// Commits records to a store, all of a call in one transaction: when it returns, they are
/// durable; when it throws, none of them are. It answers with the row ids the commit reached.
public protocol RecordWriter: Sendable {
    @discardableResult
    func write(logs: [LogRecord], spans: [TraceSpan]) async throws(StorageError) -> CommittedRecordIDs
}

extension RecordWriter {
    @discardableResult
    public func write(logs: [LogRecord]) async throws(StorageError) -> CommittedRecordIDs {
        try await write(logs: logs, spans: [])
    }
}

/// Reads stored logs, newest first.
public protocol LogReader: Sendable {
    func logs(matching query: LogQuery) async throws(StorageError) -> [LogRecord]
}

/// Reads traces: one with its spans and the logs that carry its id, or a list of summaries.
public protocol TraceReader: Sendable {
    func trace(id: String) async throws(StorageError) -> (spans: [TraceSpan], logs: [LogRecord])
    func traces(matching query: TraceQuery) async throws(StorageError) -> [TraceSummary]
    /// The service graph of spans that started in [since, until).
    func services(since: Timestamp?, until: Timestamp?) async throws(StorageError) -> [ServiceEdge]
}
