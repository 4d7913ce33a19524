import GRDB
import ObsCore

extension ObsDatabase {
    /// Adds up to `maxRows` not-yet-indexed logs (message words and trace id) and up to
    /// `maxRows` spans (trace id) to the index in one transaction of the index file; returns
    /// the larger of the two counts. It reads `obs.db` through a WAL snapshot, so the ingest
    /// writer is never blocked by it.
    public func catchUpIndexes(maxRows: Int) async throws(StorageError) -> Int {
        let writer = try requireIndexWriter("indexing")
        do {
            return try await Self.indexTransaction(writer) { db in
                let logs = try Self.indexChunk(db, progress: "logs", table: "logs", maxRows: maxRows, insert: """
                    INSERT INTO logs_fts(rowid, message, trace_id)
                    SELECT id, message, trace_id FROM logsdb.logs WHERE id > ? AND id <= ?
                    """)
                let spans = try Self.indexChunk(db, progress: "spans", table: "spans", maxRows: maxRows, insert: """
                    INSERT INTO spans_fts(rowid, trace_id) SELECT id, trace_id FROM logsdb.spans WHERE id > ? AND id <= ?
                    """)
                return max(logs, spans)
            }
        } catch {
            throw storageError("indexing", error)
        }
    }

    /// Indexes the rows of `table` after its watermark, at most `maxRows`, and moves the mark.
    private static func indexChunk(_ db: Database, progress: String, table: String, maxRows: Int, insert: String) throws -> Int {
        let from = try Int64.fetchOne(db, sql: "SELECT last_indexed_id FROM index_progress WHERE name = ?", arguments: [progress]) ?? 0
        guard let to = try Int64.fetchOne(db, sql: """
            SELECT max(id) FROM (SELECT id FROM logsdb.\(table) WHERE id > ? ORDER BY id LIMIT ?)
            """, arguments: [from, maxRows]) else { return 0 }
        try db.execute(sql: insert, arguments: [from, to])
        let indexed = db.changesCount
        try db.execute(sql: "UPDATE index_progress SET last_indexed_id = ? WHERE name = ?", arguments: [to, progress])
        return indexed
    }

    /// Deletes logs older than `cutoff`, `chunk` rows per transaction so that ingest batches
    /// interleave with a large deletion; returns how many rows it deleted.
    ///
    /// Only indexed rows are deleted (the rest wait for the indexer), and their index entries
    /// go first: a crash in between leaves rows past retention that are no longer searchable
    /// and are deleted on the next pass, never index entries that point nowhere.
    public func deleteLogs(olderThan cutoff: Timestamp, chunk: Int = 5000) async throws(StorageError) -> Int {
        // A contentless FTS5 row is removed by repeating the text it was indexed with.
        try await deleteIndexed(table: "logs", timeColumn: "time_ns", progress: "logs", olderThan: cutoff, chunk: chunk, unindex: """
            INSERT INTO logs_fts(logs_fts, rowid, message, trace_id)
            SELECT 'delete', id, message, trace_id FROM logsdb.logs WHERE id IN (SELECT value FROM json_each(?))
            """)
    }

    /// Deletes spans that started before `cutoff`, as `deleteLogs` does logs.
    public func deleteSpans(olderThan cutoff: Timestamp, chunk: Int = 5000) async throws(StorageError) -> Int {
        try await deleteIndexed(table: "spans", timeColumn: "start_ns", progress: "spans", olderThan: cutoff, chunk: chunk, unindex: """
            INSERT INTO spans_fts(spans_fts, rowid, trace_id)
            SELECT 'delete', id, trace_id FROM logsdb.spans WHERE id IN (SELECT value FROM json_each(?))
            """)
    }

    private func deleteIndexed(
        table: String, timeColumn: String, progress: String, olderThan cutoff: Timestamp, chunk: Int, unindex: String
    ) async throws(StorageError) -> Int {
        let writer = try requireWriter("deleting old \(table)")
        let indexWriter = try requireIndexWriter("deleting old \(table)")
        var total = 0
        do {
            while true {
                let doomed = try await Self.indexTransaction(indexWriter) { db -> String? in
                    let indexedUpTo = try Int64.fetchOne(db, sql: "SELECT last_indexed_id FROM index_progress WHERE name = ?",
                                                         arguments: [progress]) ?? 0
                    let ids = try Int64.fetchAll(db, sql: "SELECT id FROM logsdb.\(table) WHERE \(timeColumn) < ? AND id <= ? LIMIT ?",
                                                 arguments: [cutoff.nanoseconds, indexedUpTo, chunk])
                    guard !ids.isEmpty else { return nil }
                    let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
                    try db.execute(sql: unindex, arguments: [list])
                    return list
                }
                guard let doomed else { return total }
                let deleted = try await writer.write { db in
                    try db.execute(sql: "DELETE FROM \(table) WHERE id IN (SELECT value FROM json_each(?))", arguments: [doomed])
                    return db.changesCount
                }
                total += deleted
                if deleted < chunk { return total }
            }
        } catch {
            throw storageError("deleting old \(table)", error)
        }
    }

    /// Deletes rollup buckets of one resolution that start before `cutoff` (unix seconds);
    /// returns how many. One range delete per series, so it walks only doomed rows.
    public func deleteRollups(resolution: Int64, olderThan cutoff: Int64) async throws(StorageError) -> Int {
        let writer = try requireWriter("deleting old rollups")
        do {
            return try await writer.write { db in
                var deleted = 0
                let ids = try Int64.fetchAll(db, sql: "SELECT id FROM rollup_series")
                let statement = try db.makeStatement(sql: "DELETE FROM rollups WHERE resolution = ? AND series_id = ? AND bucket_start < ?")
                for id in ids {
                    try statement.execute(arguments: [resolution, id, cutoff])
                    deleted += db.changesCount
                }
                return deleted
            }
        } catch {
            throw storageError("deleting old rollups", error)
        }
    }

    /// Deletes alert-history transitions older than the cutoff, in chunks (one transaction
    /// each, so ingest interleaves); the current state of active alerts is never deleted.
    public func deleteAlertTransitions(olderThan cutoff: Timestamp, chunk: Int = 5000) async throws(StorageError) -> Int {
        let writer = try requireWriter("deleting old alert transitions")
        var total = 0
        do {
            while true {
                let deleted = try await writer.write { db in
                    try db.execute(sql: """
                        DELETE FROM alert_transitions WHERE id IN (SELECT id FROM alert_transitions WHERE time_ns < ? ORDER BY time_ns LIMIT ?)
                        """, arguments: [cutoff.nanoseconds, chunk])
                    return db.changesCount
                }
                total += deleted
                if deleted < chunk { return total }
            }
        } catch {
            throw storageError("deleting old alert transitions", error)
        }
    }

    /// Stored rollup rows and their bytes on disk (for benchmarks: rollup size per day).
    public func rollupFootprint() async throws(StorageError) -> (rows: Int, bytes: Int) {
        do {
            return try await reader.read { db in
                let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM rollups") ?? 0
                let bytes = try Int.fetchOne(db, sql: "SELECT sum(pgsize) FROM dbstat WHERE name IN ('rollups', 'rollup_series', 'sqlite_autoindex_rollup_series_1')") ?? 0
                return (rows, bytes)
            }
        } catch {
            throw storageError("measuring rollups", error)
        }
    }

    /// The first and last stored minute-bucket starts (unix seconds), nil without rollups.
    public func rollupTimeRange() async throws(StorageError) -> (first: Int64, last: Int64)? {
        do {
            return try await reader.read { db in
                guard try db.tableExists("rollups"),
                      let row = try Row.fetchOne(db, sql: "SELECT min(bucket_start), max(bucket_start) FROM rollups WHERE resolution = 60"),
                      let first = row[0] as Int64?, let last = row[1] as Int64? else { return nil }
                return (first, last)
            }
        } catch {
            throw storageError("reading the rollup time range", error)
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

    /// Counts stored spans (for benchmarks).
    public func spanCount() async throws(StorageError) -> Int {
        do {
            return try await reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM spans") ?? 0 }
        } catch {
            throw storageError("counting spans", error)
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
