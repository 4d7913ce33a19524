import Foundation
import GRDB
import GRDBSQLite
import ObsCore
import Synchronization

/// Rollups in `obs.db`: `rollup_series` names each label set once, `rollups` holds one row per
/// (resolution, series, bucket start) — a primary key that keeps one series' buckets
/// together, so a window over one service is a few range seeks, not a scan of every series.
///
/// Adding a bucket that already has a row merges into it (counts add, min/max combine, the
/// sketches merge through `SketchMerger`): that is how late records and buckets flushed
/// across a restart end up counted once, in the right row.
public final class SQLiteRollupStore: RollupWriter, RollupReader {
    let database: ObsDatabase
    private let merger: SketchMerger
    private let seriesIDs = Mutex<[RollupSeriesKey: Int64]>([:])

    public init(database: ObsDatabase, merger: @escaping SketchMerger) {
        self.database = database
        self.merger = merger
    }

    static let upsert = """
        INSERT INTO rollups (resolution, series_id, bucket_start, count, errors, sum_ms, min_ms, max_ms, sketch)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (resolution, series_id, bucket_start) DO UPDATE SET
            count = count + excluded.count,
            errors = errors + excluded.errors,
            sum_ms = sum_ms + excluded.sum_ms,
            min_ms = min(coalesce(min_ms, excluded.min_ms), coalesce(excluded.min_ms, min_ms)),
            max_ms = max(coalesce(max_ms, excluded.max_ms), coalesce(excluded.max_ms, max_ms)),
            sketch = obs_sketch_merge(sketch, excluded.sketch)
        """

    public func add(_ deltas: [RollupDelta], generation: Int64, watermark: RollupWatermark) async throws(StorageError) {
        let writer = try database.requireWriter("writing rollups")
        let known = seriesIDs.withLock { $0 }
        let mergeFunction = DatabaseFunction("obs_sketch_merge", argumentCount: 2, pure: true) { [merger] values in
            let stored = Data.fromDatabaseValue(values[0])
            let added = Data.fromDatabaseValue(values[1])
            switch (stored, added) {
            case (nil, nil): return nil
            case (let one?, nil), (nil, let one?): return one
            case (let stored?, let added?): return Data(merger(Array(stored), Array(added)))
            }
        }
        do {
            let created = try await writer.write { db -> [RollupSeriesKey: Int64] in
                db.add(function: mergeFunction)
                var created: [RollupSeriesKey: Int64] = [:]
                let statement = try db.cachedStatement(sql: Self.upsert)
                for delta in deltas {
                    let id: Int64
                    if let existing = known[delta.series] ?? created[delta.series] {
                        id = existing
                    } else {
                        id = try Self.seriesID(for: delta.series, in: db)
                        created[delta.series] = id
                    }
                    try statement.execute(arguments: [
                        delta.resolution, id, delta.bucketStart, delta.count, delta.errors, delta.sumMs,
                        delta.minMs, delta.maxMs, delta.sketch.map { Data($0) },
                    ])
                }
                try db.execute(sql: """
                    UPDATE rollup_state SET generation = ?, all_log_id = ?, all_span_id = ?, closed_before = ?, log_id = ?, span_id = ?
                    """, arguments: [generation, watermark.allLogID, watermark.allSpanID, watermark.closedBefore, watermark.logID, watermark.spanID])
                return created
            }
            if !created.isEmpty {
                seriesIDs.withLock { $0.merge(created) { old, _ in old } }
            }
        } catch {
            throw database.storageError("writing \(deltas.count) rollup buckets", error)
        }
    }

    private static func seriesID(for key: RollupSeriesKey, in db: Database) throws -> Int64 {
        let arguments: StatementArguments = [key.kind.rawValue, key.service, key.route, key.method, key.level]
        if let id = try Int64.fetchOne(db, sql: """
            SELECT id FROM rollup_series WHERE kind = ? AND service = ? AND route = ? AND method = ? AND level = ?
            """, arguments: arguments) {
            return id
        }
        try db.execute(sql: "INSERT INTO rollup_series (kind, service, route, method, level) VALUES (?, ?, ?, ?, ?)",
                       arguments: arguments)
        return db.lastInsertedRowID
    }

    public func committedState() async throws(StorageError) -> (generation: Int64, watermark: RollupWatermark) {
        do {
            return try await database.reader.read { db in
                guard try db.tableExists("rollup_state"),
                      let row = try Row.fetchOne(db, sql: "SELECT generation, all_log_id, all_span_id, closed_before, log_id, span_id FROM rollup_state")
                else { return (0, .empty) }
                return (row[0], RollupWatermark(allLogID: row[1], allSpanID: row[2], closedBefore: row[3], logID: row[4], spanID: row[5]))
            }
        } catch {
            throw database.storageError("reading the rollup state", error)
        }
    }

    public func series(kind: RollupSeriesKey.Kind, service: String? = nil) async throws(StorageError) -> [(id: Int64, key: RollupSeriesKey)] {
        do {
            return try await database.reader.read { db in
                guard try db.tableExists("rollup_series") else { return [] }
                return try Self.series(kind: kind, services: service.map { [$0] }, in: db)
            }
        } catch {
            throw database.storageError("reading rollup series", error)
        }
    }

    /// The series of a kind, of the given services only when `services` is not nil (the
    /// unique index on (kind, service, …) makes that a seek per service).
    private static func series(kind: RollupSeriesKey.Kind, services: Set<String>?, in db: Database) throws -> [(id: Int64, key: RollupSeriesKey)] {
        var sql = "SELECT id, service, route, method, level FROM rollup_series WHERE kind = ?"
        var arguments: StatementArguments = [kind.rawValue]
        if let services {
            sql += " AND service IN (SELECT value FROM json_each(?))"
            var list = JSONWriter()
            list.beginArray()
            for service in services { list.string(service) }
            list.endArray()
            arguments += [list.string]
        }
        return try Row.fetchAll(db, sql: sql + " ORDER BY id", arguments: arguments).map { row in
            (id: row[0], key: RollupSeriesKey(kind: kind, service: row[1], route: row[2], method: row[3], level: row[4]))
        }
    }

    public func rows(in ranges: [RollupRange], series: Set<RollupSeriesKey>, withSketches: Bool) async throws(StorageError) -> RollupReadResult {
        do {
            return try await database.reader.read { db in
                guard try db.tableExists("rollups") else { return RollupReadResult(rows: [], series: [:], generation: 0) }
                let generation = try Int64.fetchOne(db, sql: "SELECT generation FROM rollup_state") ?? 0
                // Ids are resolved in the same snapshot as the rows: a series a flush created a
                // moment ago is read with its rows, never half.
                var keys: [Int64: RollupSeriesKey] = [:]
                for kind in Set(series.map(\.kind)) {
                    let services = Set(series.filter { $0.kind == kind }.map(\.service))
                    for (id, key) in try Self.series(kind: kind, services: services, in: db) where series.contains(key) { keys[id] = key }
                }
                guard !keys.isEmpty, !ranges.isEmpty else { return RollupReadResult(rows: [], series: keys, generation: generation) }
                let idList = keys.keys.map(String.init).joined(separator: ",")
                let sql = """
                    SELECT series_id, bucket_start, count, errors, sum_ms, min_ms, max_ms\(withSketches ? ", sketch" : "")
                    FROM rollups WHERE resolution = ? AND series_id IN (\(idList)) AND bucket_start BETWEEN ? AND ?
                    """
                var rows: [RollupRow] = []
                let statement = try db.makeStatement(sql: sql)
                let handle = statement.sqliteStatement
                for range in ranges {
                    sqlite3_reset(handle)
                    sqlite3_bind_int64(handle, 1, range.resolution)
                    sqlite3_bind_int64(handle, 2, range.from)
                    sqlite3_bind_int64(handle, 3, range.through)
                    while true {
                        let code = sqlite3_step(handle)
                        if code == SQLITE_DONE { break }
                        guard code == SQLITE_ROW else {
                            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                                message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                        }
                        rows.append(Self.row(handle, resolution: range.resolution, withSketch: withSketches))
                    }
                }
                return RollupReadResult(rows: rows, series: keys, generation: generation)
            }
        } catch {
            throw database.storageError("reading rollups", error)
        }
    }

    private static func row(_ handle: OpaquePointer?, resolution: Int64, withSketch: Bool) -> RollupRow {
        func optionalDouble(_ column: Int32) -> Double? {
            sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_double(handle, column)
        }
        var sketch: [UInt8]?
        if withSketch, sqlite3_column_type(handle, 7) == SQLITE_BLOB {
            let length = Int(sqlite3_column_bytes(handle, 7))
            if let bytes = sqlite3_column_blob(handle, 7), length > 0 {
                sketch = Array(UnsafeRawBufferPointer(start: bytes, count: length))
            }
        }
        return RollupRow(
            seriesID: sqlite3_column_int64(handle, 0), resolution: resolution, bucketStart: sqlite3_column_int64(handle, 1),
            count: sqlite3_column_int64(handle, 2), errors: sqlite3_column_int64(handle, 3),
            sumMs: sqlite3_column_double(handle, 4), minMs: optionalDouble(5), maxMs: optionalDouble(6), sketch: sketch
        )
    }
}
