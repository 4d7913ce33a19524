import ObsCore

/// Commits records to a store, all of a call in one transaction: when it returns, they are
/// durable; when it throws, none of them are.
public protocol RecordWriter: Sendable {
    func write(logs: [LogRecord]) async throws(StorageError)
}

/// Reads stored logs, newest first.
public protocol LogReader: Sendable {
    func logs(matching query: LogQuery) async throws(StorageError) -> [LogRecord]
}
