import GRDB
import ObsCore

/// The mapping between a `logs` row and a `LogRecord`.
enum LogRow {
    static func record(from row: Row) -> LogRecord {
        LogRecord(
            time: Timestamp(nanoseconds: row[0]),
            service: row[1],
            severity: Severity(number: row[2]) ?? .info,
            message: row[3],
            traceID: row[4],
            spanID: row[5],
            durationMs: row[6],
            status: row[7],
            route: row[8],
            method: row[9],
            attributes: row[10]
        )
    }
}
