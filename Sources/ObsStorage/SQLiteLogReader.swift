import GRDB
import ObsCore

/// Reads logs newest first. Full-text terms use the FTS5 index for the indexed part of the
/// table and a LIKE scan for the tail the indexer has not reached yet, so a record is
/// searchable the moment its write is acknowledged.
public struct SQLiteLogReader: LogReader {
    let database: ObsDatabase

    public init(database: ObsDatabase) {
        self.database = database
    }

    public func logs(matching query: LogQuery) async throws(StorageError) -> [LogRecord] {
        do {
            return try await database.reader.read { db in
                var conditions: [String] = []
                var arguments: [any DatabaseValueConvertible] = []
                if let service = query.service {
                    conditions.append("service = ?")
                    arguments.append(service)
                }
                if let severity = query.minimumSeverity {
                    conditions.append("severity >= ?")
                    arguments.append(severity.number)
                }
                if let traceID = query.traceID {
                    conditions.append("trace_id = ?")
                    arguments.append(traceID.lowercased())
                }
                if let since = query.since {
                    conditions.append("time_ns >= ?")
                    arguments.append(since.nanoseconds)
                }
                if let until = query.until {
                    conditions.append("time_ns < ?")
                    arguments.append(until.nanoseconds)
                }
                let terms = FullTextTerms(query.text ?? "")
                if !terms.isEmpty {
                    let indexedUpTo = try Int64.fetchOne(db, sql: "SELECT last_indexed_id FROM fts_progress WHERE name = 'logs'") ?? 0
                    let tail = terms.likePatterns.map { _ in "message LIKE ? ESCAPE '\\'" }.joined(separator: " AND ")
                    conditions.append("""
                        (id IN (SELECT rowid FROM logs_fts WHERE logs_fts MATCH ?) OR (id > ? AND \(tail)))
                        """)
                    arguments.append(terms.matchExpression)
                    arguments.append(indexedUpTo)
                    arguments.append(contentsOf: terms.likePatterns)
                }
                let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
                arguments.append(max(0, min(query.limit, LogQuery.maximumLimit)))
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT time_ns, service, severity, message, trace_id, span_id, duration_ms, status, route, method, attributes
                    FROM logs \(whereClause)
                    ORDER BY time_ns DESC, id DESC
                    LIMIT ?
                    """, arguments: StatementArguments(arguments))
                var records: [LogRecord] = []
                while let row = try rows.next() {
                    records.append(LogRow.record(from: row))
                }
                return records
            }
        } catch {
            throw database.storageError("reading logs", error)
        }
    }
}
