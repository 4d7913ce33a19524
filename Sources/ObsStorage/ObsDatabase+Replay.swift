import GRDB
import ObsCore

extension ObsDatabase {
    /// Hands back, in id order and `chunk` rows at a time, the stored records that the
    /// watermark says are not in the rollups (after a crash: the buckets that were only in
    /// memory): spans first, then logs, each chunk with the highest id it reached. Returns
    /// how many records it handed back.
    ///
    /// The scan starts at the first id past `all…ID` whose time is at or after
    /// `closedBefore` (the time indexes find it) or past `logID`/`spanID`, whichever is lower;
    /// records in between that the watermark covers are skipped.
    public func replayUnaggregated(
        after watermark: RollupWatermark, chunk: Int = 10_000,
        _ body: (_ logs: [LogRecord], _ spans: [TraceSpan], _ ids: CommittedRecordIDs) async throws -> Void
    ) async throws(StorageError) -> Int {
        var total = 0
        do {
            let closedBeforeNanoseconds = watermark.closedBefore.multipliedReportingOverflow(by: 1_000_000_000)
            let timeBound: Int64? = closedBeforeNanoseconds.overflow ? (watermark.closedBefore < 0 ? Int64.min : nil) : closedBeforeNanoseconds.partialValue

            let spanStart = try await firstUnaggregatedID(table: "spans", timeColumn: "start_ns", all: watermark.allSpanID,
                                                          partial: watermark.spanID, timeBound: timeBound)
            total += try await replay(from: spanStart, chunk: chunk, sql: """
                SELECT trace_id, span_id, parent_span_id, service, name, kind, start_ns, duration_ns,
                       status_code, status_message, attributes, events, links, id
                FROM spans WHERE id >= ? ORDER BY id LIMIT ?
                """, timeColumn: 6, needs: watermark.needsSpan, record: SpanRow.span(from:)) { spans, lastID in
                try await body([], spans, CommittedRecordIDs(lastSpanID: lastID))
            }
            let logStart = try await firstUnaggregatedID(table: "logs", timeColumn: "time_ns", all: watermark.allLogID,
                                                         partial: watermark.logID, timeBound: timeBound)
            total += try await replay(from: logStart, chunk: chunk, sql: """
                SELECT time_ns, service, severity, message, trace_id, span_id, duration_ms, status, route, method, attributes, id
                FROM logs WHERE id >= ? ORDER BY id LIMIT ?
                """, timeColumn: 0, needs: watermark.needsLog, record: LogRow.record(from:)) { logs, lastID in
                try await body(logs, [], CommittedRecordIDs(lastLogID: lastID))
            }
        } catch {
            throw storageError("re-aggregating records after a crash", error)
        }
        return total
    }

    /// Reads rows from `start` in id order, `chunk` at a time (`sql` selects the record's
    /// columns, then its id last), and hands on those `needs` keeps; returns how many.
    private func replay<Record>(
        from start: Int64, chunk: Int, sql: String, timeColumn: Int, needs: (_ id: Int64, _ bucketStart: Int64) -> Bool,
        record: (Row) -> Record, deliver: (_ records: [Record], _ lastID: Int64) async throws -> Void
    ) async throws -> Int {
        var cursor = start
        var total = 0
        while true {
            let rows = try await reader.read { db in try Row.fetchAll(db, sql: sql, arguments: [cursor, chunk]) }
            guard let last = rows.last else { return total }
            let idColumn = last.count - 1
            let lastID: Int64 = last[idColumn]
            let records = rows.filter { row in
                let bucketStart = Timestamp(nanoseconds: row[timeColumn]).unixSecondsRoundedDown.roundedDown(toMultipleOf: RollupRow.resolutions[0])
                return needs(row[idColumn], bucketStart)
            }.map(record)
            if !records.isEmpty { try await deliver(records, lastID) }
            total += records.count
            cursor = lastID + 1
        }
    }

    /// The lowest id that may need re-aggregating: past `partial`, or past `all` with a time at
    /// or after the boundary (nil boundary: none qualifies by time).
    private func firstUnaggregatedID(table: String, timeColumn: String, all: Int64, partial: Int64, timeBound: Int64?) async throws -> Int64 {
        let afterPartial = max(all, partial) + 1
        guard let timeBound else { return afterPartial }
        let byTime = try await reader.read { db in
            try Int64.fetchOne(db, sql: "SELECT min(id) FROM \(table) WHERE \(timeColumn) >= ? AND id > ?", arguments: [timeBound, all])
        }
        return min(afterPartial, byTime ?? afterPartial)
    }
}
