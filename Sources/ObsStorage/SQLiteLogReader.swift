import GRDB
import ObsCore

/// Reads logs newest first. Full-text terms and trace ids use their indexes for the part of
/// the table the background indexer has reached, and scan the short tail after it, so a
/// record is findable the moment its write is acknowledged.
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
                let useIndex = database.hasIndex
                let indexedUpTo = useIndex
                    ? try Int64.fetchOne(db, sql: "SELECT last_indexed_id FROM idx.index_progress WHERE name = 'logs'") ?? 0 : 0
                if let traceID = query.traceID?.lowercased() {
                    conditions.append("trace_id = ?")
                    arguments.append(traceID)
                    if useIndex, traceID.utf8.allSatisfy({ $0 < 0x80 && Character(Unicode.Scalar($0)).isHexDigit }) {
                        conditions.append("(id IN (SELECT rowid FROM idx.logs_fts WHERE logs_fts MATCH ?) OR id > ?)")
                        arguments += ["\"\(traceID)\"", indexedUpTo] as [any DatabaseValueConvertible]
                    }
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
                    // LIKE decides; the index only skips indexed rows that cannot match.
                    conditions += terms.likePatterns.map { _ in "message LIKE ? ESCAPE '\\'" }
                    arguments += terms.likePatterns as [any DatabaseValueConvertible]
                    if useIndex, let match = terms.matchExpression {
                        conditions.append("(id IN (SELECT rowid FROM idx.logs_fts WHERE logs_fts MATCH ?) OR id > ?)")
                        arguments += [match, indexedUpTo] as [any DatabaseValueConvertible]
                    }
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
