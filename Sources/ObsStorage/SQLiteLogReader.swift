import GRDB
import ObsCore

/// Reads logs newest first. Full-text terms and trace ids use their indexes for the part of
/// the table the background indexer has reached, and scan the short tail after it, so a
/// record is findable the moment its write is acknowledged.
public struct SQLiteLogReader: LogReader {
    let database: ObsDatabase

    /// Up to this many index matches, a search is driven from its matches; above it, from the
    /// time index (newest first), stopping at the limit.
    static let candidateLimit = 50_000

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
                var indexExpressions: [String] = []
                if let traceID = query.traceID?.lowercased() {
                    conditions.append("trace_id = ?")
                    arguments.append(traceID)
                    if traceID.isHexDigits {
                        indexExpressions.append("\"\(traceID)\"")
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
                // LIKE decides; the index only narrows which rows are looked at.
                conditions += terms.likePatterns.map { _ in "message LIKE ? ESCAPE '\\'" }
                arguments += terms.likePatterns as [any DatabaseValueConvertible]
                if let match = terms.matchExpression { indexExpressions.append(match) }

                var order = "time_ns DESC, id DESC"
                if database.hasIndex, !indexExpressions.isEmpty {
                    let indexedUpTo = try Int64.fetchOne(db, sql: "SELECT last_indexed_id FROM idx.index_progress WHERE name = 'logs'") ?? 0
                    let expression = indexExpressions.joined(separator: " AND ")
                    let candidates = try Int64.fetchAll(db, sql: "SELECT rowid FROM idx.logs_fts WHERE logs_fts MATCH ? LIMIT ?",
                                                        arguments: [expression, Self.candidateLimit + 1])
                    if candidates.count <= Self.candidateLimit {
                        // Few candidates (a trace, a rare word): fetch them by id and sort them,
                        // rather than walking the whole time index and testing every row.
                        conditions.append("(id IN (SELECT value FROM json_each(?)) OR id > ?)")
                        arguments += ["[" + candidates.map(String.init).joined(separator: ",") + "]", indexedUpTo]
                            as [any DatabaseValueConvertible]
                        order = "+time_ns DESC, id DESC"
                    } else {
                        // A common word: newest-first through the time index finds the limit soon.
                        conditions.append("(id IN (SELECT rowid FROM idx.logs_fts WHERE logs_fts MATCH ?) OR id > ?)")
                        arguments += [expression, indexedUpTo] as [any DatabaseValueConvertible]
                    }
                }
                let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
                arguments.append(max(0, min(query.limit, LogQuery.maximumLimit)))
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT time_ns, service, severity, message, trace_id, span_id, duration_ms, status, route, method, attributes
                    FROM logs \(whereClause)
                    ORDER BY \(order)
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
