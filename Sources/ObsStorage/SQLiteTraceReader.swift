import GRDB
import ObsCore

/// Reads a trace's spans through the index file (and the unindexed tail), its logs through
/// the log reader, and lists of recent traces.
public struct SQLiteTraceReader: TraceReader {
    let database: ObsDatabase

    public init(database: ObsDatabase) {
        self.database = database
    }

    /// A bound on one answer, so a runaway trace cannot exhaust memory.
    static let maximumSpans = 100_000

    /// How many spans a trace list walks at most.
    static let scanLimit = 200_000

    public func trace(id: String) async throws(StorageError) -> (spans: [TraceSpan], logs: [LogRecord]) {
        let traceID = id.lowercased()
        let spans = try await spans(of: traceID)
        let logs = try await SQLiteLogReader(database: database).logs(matching: LogQuery(traceID: traceID, limit: LogQuery.maximumLimit))
        return (spans, logs)
    }

    /// Newest traces first: walks the spans of the window newest-first (only the service's,
    /// or only failed ones, when asked), and summarises each new trace it meets from all of
    /// its spans until `limit` traces pass the filters. At most `scanLimit` spans are walked,
    /// so a list over a busy window stays fast; narrow the window to look further back.
    public func traces(matching query: TraceQuery) async throws(StorageError) -> [TraceSummary] {
        let candidates: [String]
        do {
            candidates = try await database.reader.read { db in
                var conditions: [String] = []
                var arguments: [any DatabaseValueConvertible] = []
                if let since = query.since { conditions.append("start_ns >= ?"); arguments.append(since.nanoseconds) }
                if let until = query.until { conditions.append("start_ns < ?"); arguments.append(until.nanoseconds) }
                if let service = query.service { conditions.append("service = ?"); arguments.append(service) }
                if query.errorsOnly { conditions.append("status_code = 2") }
                let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
                let cursor = try String.fetchCursor(
                    db, sql: "SELECT trace_id FROM spans \(whereClause) ORDER BY start_ns DESC LIMIT \(Self.scanLimit)",
                    arguments: StatementArguments(arguments)
                )
                var seen = Set<String>()
                var ordered: [String] = []
                while let traceID = try cursor.next() {
                    if seen.insert(traceID).inserted { ordered.append(traceID) }
                }
                return ordered
            }
        } catch {
            throw database.storageError("listing traces", error)
        }
        var summaries: [TraceSummary] = []
        let limit = max(1, min(query.limit, TraceQuery.maximumLimit))
        for traceID in candidates where summaries.count < limit {
            guard let summary = TraceSummary(spans: try await spans(of: traceID)) else { continue }
            if let minimum = query.minimumDurationNanoseconds, summary.durationNanoseconds < minimum { continue }
            summaries.append(summary)
        }
        return summaries
    }

    /// Walks at most `scanLimit` of the window's newest spans (a parent outside them is not
    /// seen, so its call is not counted).
    public func services(since: Timestamp?, until: Timestamp?) async throws(StorageError) -> [ServiceEdge] {
        do {
            let spans = try await database.reader.read { db in
                var conditions: [String] = []
                var arguments: [any DatabaseValueConvertible] = []
                if let since { conditions.append("start_ns >= ?"); arguments.append(since.nanoseconds) }
                if let until { conditions.append("start_ns < ?"); arguments.append(until.nanoseconds) }
                let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
                return try Row.fetchAll(db, sql: """
                    SELECT trace_id, span_id, parent_span_id, service, name, kind, start_ns, duration_ns,
                           status_code, status_message, '{}', '[]', '[]'
                    FROM spans \(whereClause) ORDER BY start_ns DESC LIMIT \(Self.scanLimit)
                    """, arguments: StatementArguments(arguments)).map(SpanRow.span(from:))
            }
            return ServiceEdge.graph(spans)
        } catch {
            throw database.storageError("building the service graph", error)
        }
    }

    private func spans(of traceID: String) async throws(StorageError) -> [TraceSpan] {
        do {
            return try await database.reader.read { db in
                var sql = """
                    SELECT trace_id, span_id, parent_span_id, service, name, kind, start_ns, duration_ns,
                           status_code, status_message, attributes, events, links
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
    }
}

/// The mapping between a `spans` row and a `TraceSpan`.
enum SpanRow {
    static func span(from row: Row) -> TraceSpan {
        TraceSpan(
            traceID: row[0], spanID: row[1], parentSpanID: row[2], service: row[3], name: row[4],
            kind: SpanKind(rawValue: row[5]) ?? .unspecified, start: Timestamp(nanoseconds: row[6]),
            durationNanoseconds: row[7], status: SpanStatus(rawValue: row[8]) ?? .unset, statusMessage: row[9],
            attributes: row[10], events: row[11], links: row[12]
        )
    }
}
