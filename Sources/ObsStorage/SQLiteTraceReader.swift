import GRDB
import ObsCore

/// Reads a trace's spans through the index file (and the unindexed tail), and its logs
/// through the log reader.
public struct SQLiteTraceReader: TraceReader {
    let database: ObsDatabase

    public init(database: ObsDatabase) {
        self.database = database
    }

    public func trace(id: String) async throws(StorageError) -> (spans: [TraceSpan], logs: [LogRecord]) {
        let traceID = id.lowercased()
        let spans: [TraceSpan]
        do {
            spans = try await database.reader.read { db in
                var sql = """
                    SELECT trace_id, span_id, parent_span_id, service, name, kind, start_ns, duration_ns,
                           status_code, status_message, attributes, events
                    FROM spans WHERE trace_id = ?
                    """
                var arguments: [any DatabaseValueConvertible] = [traceID]
                if database.hasIndex, traceID.isHexDigits {
                    let indexedUpTo = try Int64.fetchOne(db, sql: "SELECT last_indexed_id FROM idx.index_progress WHERE name = 'spans'") ?? 0
                    sql += " AND (id IN (SELECT rowid FROM idx.spans_fts WHERE spans_fts MATCH ?) OR id > ?)"
                    arguments += ["\"\(traceID)\"", indexedUpTo] as [any DatabaseValueConvertible]
                }
                sql += " ORDER BY +start_ns LIMIT \(Self.maximumSpans)"
                return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(SpanRow.span(from:))
            }
        } catch {
            throw database.storageError("reading trace \(traceID)", error)
        }
        let logs = try await SQLiteLogReader(database: database).logs(matching: LogQuery(traceID: traceID, limit: LogQuery.maximumLimit))
        return (spans, logs)
    }

    /// A bound on one answer, so a runaway trace cannot exhaust memory.
    static let maximumSpans = 100_000
}

/// The mapping between a `spans` row and a `TraceSpan`.
enum SpanRow {
    static func span(from row: Row) -> TraceSpan {
        TraceSpan(
            traceID: row[0], spanID: row[1], parentSpanID: row[2], service: row[3], name: row[4],
            kind: SpanKind(rawValue: row[5]) ?? .unspecified, start: Timestamp(nanoseconds: row[6]),
            durationNanoseconds: row[7], status: SpanStatus(rawValue: row[8]) ?? .unset, statusMessage: row[9],
            attributes: row[10], events: row[11]
        )
    }
}
