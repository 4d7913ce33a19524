import GRDB
import ObsCore

extension ObsDatabase {
    /// Adds up to `maxRows` not-yet-indexed logs to the full-text and trace-id indexes in one
    /// transaction; returns how many it indexed. Bulk `INSERT … SELECT` is an order of
    /// magnitude faster than maintaining these indexes row by row on insert.
    public func catchUpIndexes(maxRows: Int) async throws(StorageError) -> Int {
        let writer = try requireWriter("indexing logs")
        do {
            return try await writer.write { db in
                let from = try Int64.fetchOne(db, sql: "SELECT last_indexed_id FROM index_progress WHERE name = 'logs'") ?? 0
                guard let to = try Int64.fetchOne(db, sql: """
                    SELECT max(id) FROM (SELECT id FROM logs WHERE id > ? ORDER BY id LIMIT ?)
                    """, arguments: [from, maxRows]) else { return 0 }
                try db.execute(sql: """
                    INSERT INTO logs_fts(rowid, message) SELECT id, message FROM logs WHERE id > ? AND id <= ?
                    """, arguments: [from, to])
                let indexed = db.changesCount
                try db.execute(sql: """
                    INSERT INTO log_traces(trace_key, log_id)
                    SELECT obs_trace_key(trace_id) AS key, id FROM logs
                    WHERE id > ? AND id <= ? AND trace_id IS NOT NULL ORDER BY key, id
                    """, arguments: [from, to])
                try db.execute(sql: "UPDATE index_progress SET last_indexed_id = ? WHERE name = 'logs'", arguments: [to])
                return indexed
            }
        } catch {
            throw storageError("indexing logs", error)
        }
    }

    /// Deletes logs older than `cutoff`, `chunk` rows per transaction so that ingest batches
    /// interleave with a large deletion; returns how many rows it deleted.
    public func deleteLogs(olderThan cutoff: Timestamp, chunk: Int = 5000) async throws(StorageError) -> Int {
        let writer = try requireWriter("deleting old logs")
        var total = 0
        do {
            while true {
                let deleted = try await writer.write { db in
                    try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS doomed_logs (id INTEGER PRIMARY KEY)")
                    try db.execute(sql: "DELETE FROM doomed_logs")
                    try db.execute(sql: "INSERT INTO doomed_logs SELECT id FROM logs WHERE time_ns < ? LIMIT ?",
                                   arguments: [cutoff.nanoseconds, chunk])
                    // External-content FTS5 needs the exact indexed text to remove a row.
                    let indexedUpTo = try Int64.fetchOne(db, sql: "SELECT last_indexed_id FROM index_progress WHERE name = 'logs'") ?? 0
                    try db.execute(sql: """
                        INSERT INTO logs_fts(logs_fts, rowid, message)
                        SELECT 'delete', logs.id, logs.message FROM logs JOIN doomed_logs USING (id) WHERE logs.id <= ?
                        """, arguments: [indexedUpTo])
                    try db.execute(sql: """
                        DELETE FROM log_traces WHERE (trace_key, log_id) IN (
                            SELECT obs_trace_key(logs.trace_id), logs.id FROM logs JOIN doomed_logs USING (id)
                            WHERE logs.id <= ? AND logs.trace_id IS NOT NULL)
                        """, arguments: [indexedUpTo])
                    try db.execute(sql: "DELETE FROM logs WHERE id IN (SELECT id FROM doomed_logs)")
                    return db.changesCount
                }
                total += deleted
                if deleted < chunk { return total }
            }
        } catch {
            throw storageError("deleting old logs", error)
        }
    }

    /// Counts stored logs (for tests, benchmarks and `obs` status output).
    public func logCount() async throws(StorageError) -> Int {
        do {
            return try await reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM logs") ?? 0 }
        } catch {
            throw storageError("counting logs", error)
        }
    }
}
