import GRDB
import ObsCore

extension ObsDatabase {
    /// Adds up to `maxRows` not-yet-indexed logs (message words and trace id) to the index in
    /// one transaction of the index file; returns how many it indexed. It reads `obs.db` through
    /// a WAL snapshot, so the ingest writer is never blocked by it.
    public func catchUpIndexes(maxRows: Int) async throws(StorageError) -> Int {
        let writer = try requireIndexWriter("indexing logs")
        do {
            return try await Self.indexTransaction(writer) { db in
                let from = try Int64.fetchOne(db, sql: "SELECT last_indexed_id FROM index_progress WHERE name = 'logs'") ?? 0
                guard let to = try Int64.fetchOne(db, sql: """
                    SELECT max(id) FROM (SELECT id FROM logsdb.logs WHERE id > ? ORDER BY id LIMIT ?)
                    """, arguments: [from, maxRows]) else { return 0 }
                try db.execute(sql: """
                    INSERT INTO logs_fts(rowid, message, trace_id)
                    SELECT id, message, trace_id FROM logsdb.logs WHERE id > ? AND id <= ?
                    """, arguments: [from, to])
                let indexed = db.changesCount
                try db.execute(sql: "UPDATE index_progress SET last_indexed_id = ? WHERE name = 'logs'", arguments: [to])
                return indexed
            }
        } catch {
            throw storageError("indexing logs", error)
        }
    }

    /// Deletes logs older than `cutoff`, `chunk` rows per transaction so that ingest batches
    /// interleave with a large deletion; returns how many rows it deleted.
    ///
    /// Only indexed rows are deleted (the rest wait for the indexer), and their index entries
    /// go first: a crash in between leaves rows past retention that are no longer searchable
    /// and are deleted on the next pass, never index entries that point nowhere.
    public func deleteLogs(olderThan cutoff: Timestamp, chunk: Int = 5000) async throws(StorageError) -> Int {
        let writer = try requireWriter("deleting old logs")
        let indexWriter = try requireIndexWriter("deleting old logs")
        var total = 0
        do {
            while true {
                let doomed = try await Self.indexTransaction(indexWriter) { db -> String? in
                    let indexedUpTo = try Int64.fetchOne(db, sql: "SELECT last_indexed_id FROM index_progress WHERE name = 'logs'") ?? 0
                    let ids = try Int64.fetchAll(db, sql: "SELECT id FROM logsdb.logs WHERE time_ns < ? AND id <= ? LIMIT ?",
                                                 arguments: [cutoff.nanoseconds, indexedUpTo, chunk])
                    guard !ids.isEmpty else { return nil }
                    let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
                    // A contentless FTS5 row is removed by repeating the text it was indexed with.
                    try db.execute(sql: """
                        INSERT INTO logs_fts(logs_fts, rowid, message, trace_id)
                        SELECT 'delete', id, message, trace_id FROM logsdb.logs WHERE id IN (SELECT value FROM json_each(?))
                        """, arguments: [list])
                    return list
                }
                guard let doomed else { return total }
                let deleted = try await writer.write { db in
                    try db.execute(sql: "DELETE FROM logs WHERE id IN (SELECT value FROM json_each(?))", arguments: [doomed])
                    return db.changesCount
                }
                total += deleted
                if deleted < chunk { return total }
            }
        } catch {
            throw storageError("deleting old logs", error)
        }
    }

    /// A DEFERRED transaction on the index file. GRDB's default for writes is IMMEDIATE,
    /// which takes the write lock of every attached file — `obs.db` included — and would
    /// stall the ingest writer for the whole indexing chunk.
    static func indexTransaction<T: Sendable>(
        _ writer: any DatabaseWriter, _ work: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        try await writer.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.deferred) {
                result = try work(db)
                return .commit
            }
            guard let result else { throw DatabaseError(resultCode: .SQLITE_ERROR, message: "index transaction produced no result") }
            return result
        }
    }

    /// Stored logs the background indexer has not reached yet (searches scan them).
    public func unindexedLogCount() async throws(StorageError) -> Int {
        let useIndex = hasIndex
        do {
            return try await reader.read { db in
                let indexedUpTo = useIndex
                    ? try Int64.fetchOne(db, sql: "SELECT last_indexed_id FROM idx.index_progress WHERE name = 'logs'") ?? 0 : 0
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM logs WHERE id > ?", arguments: [indexedUpTo]) ?? 0
            }
        } catch {
            throw storageError("counting unindexed logs", error)
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
