import Foundation
import GRDBSQLite
import ObsStorage

/// The outbox's own yardstick: the daemon records each delivery attempt in a transaction of
/// its own (one UPDATE of the entry's row), so this times exactly that — the same UPDATE
/// into the real `outbox` table (schema and partial index by obs's migrations), one row per
/// transaction, WAL, synchronous=NORMAL — with nothing else in the way. A receiver cannot be
/// served faster than this, whatever the network.
extension NotifyBenchmark {
    struct CommitYardstick {
        var rows: Int
        var seconds: Double
        var perSecond: Double { seconds > 0 ? Double(rows) / seconds : 0 }
    }

    static func measureCommits(rows: Int, directory: String) throws(CLIError) -> CommitYardstick {
        let path = directory + "/yardstick-outbox.db"
        do {
            try ObsDatabase.open(at: path).close()
        } catch {
            throw CLIError("outbox yardstick: \(error)")
        }
        var connection: OpaquePointer?
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let connection else {
            throw CLIError("outbox yardstick: cannot open \(path)")
        }
        defer { sqlite3_close_v2(connection) }
        func exec(_ sql: String) throws(CLIError) {
            guard sqlite3_exec(connection, sql, nil, nil, nil) == SQLITE_OK else {
                throw CLIError("outbox yardstick: \(String(cString: sqlite3_errmsg(connection)))")
            }
        }
        try exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536")
        // Open entries shaped like the benchmark's: 2,000 groups, 3 KB bodies.
        try exec("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(max(1, rows)))
            INSERT INTO outbox (idempotency_key, receiver, group_key, status, notification_status, created_ns, next_attempt_ns,
                                alerts, firing_count, resolved_count, content_type, url_path, body)
            SELECT 'key-' || i, 'bench', 'group-' || (i % 2000), 'pending', 'firing', i, i, '[]', 5, 0, 'application/json', NULL,
                   zeroblob(3000) FROM n
            """)
        var statement: OpaquePointer?
        let update = """
            UPDATE outbox SET status = 'delivered', attempts = attempts + 1, last_attempt_ns = ?1, finished_ns = ?1,
                last_status_code = 200, last_error = NULL WHERE id = ?2
            """
        guard sqlite3_prepare_v2(connection, update, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw CLIError("outbox yardstick: \(String(cString: sqlite3_errmsg(connection)))")
        }
        defer { sqlite3_finalize(statement) }
        let started = DispatchTime.now().uptimeNanoseconds
        for id in 1...Int64(max(1, rows)) {
            try exec("BEGIN IMMEDIATE")
            sqlite3_bind_int64(statement, 1, Int64(started) + id)
            sqlite3_bind_int64(statement, 2, id)
            guard sqlite3_step(statement) == SQLITE_DONE else {
                throw CLIError("outbox yardstick: \(String(cString: sqlite3_errmsg(connection)))")
            }
            sqlite3_reset(statement)
            try exec("COMMIT")
        }
        return CommitYardstick(rows: max(1, rows), seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
    }
}
