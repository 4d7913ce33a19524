import Foundation
import GRDBSQLite
import ObsCore

/// The benchmarks' yardstick: how fast this machine's SQLite inserts the same rows into the
/// same table (`logs` or `spans`, same indexes, no full-text index) with nothing else in the
/// way — one raw prepared statement, a transaction per `rowsPerTransaction` rows, WAL,
/// synchronous=NORMAL.
public enum SQLiteInsertYardstick {
    public struct Result: Sendable {
        public var rows: Int
        public var seconds: Double
        public var rowsPerSecond: Double { Double(rows) / seconds }
    }

    public static func measure(records: [LogRecord], rowsPerTransaction: Int = 1000, directory: String) throws(StorageError) -> Result {
        try measure(records, sql: SQLiteRecordWriter.insertLog, bind: SQLiteRecordWriter.bind, rowsPerTransaction: rowsPerTransaction,
                    path: directory + "/yardstick-logs.db")
    }

    /// The same for spans, into the `spans` table.
    public static func measure(spans: [TraceSpan], rowsPerTransaction: Int = 512, directory: String) throws(StorageError) -> Result {
        try measure(spans, sql: SQLiteRecordWriter.insertSpan, bind: SQLiteRecordWriter.bind, rowsPerTransaction: rowsPerTransaction,
                    path: directory + "/yardstick-spans.db")
    }

    private static func measure<Row>(
        _ records: [Row], sql: String, bind: (Row, OpaquePointer?) -> Void, rowsPerTransaction: Int, path: String
    ) throws(StorageError) -> Result {
        // Same schema as obs: let the migrations create it.
        try ObsDatabase.open(at: path).close()
        var connection: OpaquePointer?
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let connection else {
            throw StorageError(operation: "opening the yardstick database", path: path, reason: "sqlite3_open_v2 failed")
        }
        defer { sqlite3_close_v2(connection) }
        func exec(_ sql: String) throws(StorageError) {
            guard sqlite3_exec(connection, sql, nil, nil, nil) == SQLITE_OK else {
                throw StorageError(operation: "yardstick", path: path, reason: String(cString: sqlite3_errmsg(connection)))
            }
        }
        try exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=OFF; PRAGMA cache_size=-65536")
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw StorageError(operation: "yardstick", path: path, reason: String(cString: sqlite3_errmsg(connection)))
        }
        defer { sqlite3_finalize(statement) }
        let started = DispatchTime.now().uptimeNanoseconds
        var index = 0
        while index < records.count {
            try exec("BEGIN")
            for record in records[index..<min(records.count, index + rowsPerTransaction)] {
                bind(record, statement)
                guard sqlite3_step(statement) == SQLITE_DONE else {
                    throw StorageError(operation: "yardstick insert", path: path, reason: String(cString: sqlite3_errmsg(connection)))
                }
                sqlite3_reset(statement)
            }
            try exec("COMMIT")
            index += rowsPerTransaction
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return Result(rows: records.count, seconds: seconds)
    }
}
