import GRDB

/// The integer under which a trace id is indexed: its leading 64 bits (16 hex digits), as a
/// signed integer. Different traces may share a key; readers confirm the full id.
enum TraceKey {
    static func key(_ traceID: String) -> Int64? {
        let prefix = traceID.utf8.prefix(16)
        guard prefix.count == 16, let value = UInt64(String(decoding: prefix, as: UTF8.self), radix: 16) else { return nil }
        return Int64(bitPattern: value)
    }

    /// `obs_trace_key(trace_id)` for the bulk indexer and retention.
    static let sqlFunction = DatabaseFunction("obs_trace_key", argumentCount: 1, pure: true) { values in
        guard let text = String.fromDatabaseValue(values[0]) else { return nil }
        return key(text)
    }
}
