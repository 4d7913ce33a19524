import Foundation
import ObsCore
import ObsStorage
import ObsTesting
import ServiceLifecycle
import Logging
import Synchronization
import Testing

/// A real SQLite file in a fresh temp dir.
func withDatabase<T>(_ body: (ObsDatabase, TemporaryDirectory) async throws -> T) async throws -> T {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let database = try ObsDatabase.open(at: directory.file("data/obs.db"))
    defer { try? database.close() }
    return try await body(database, directory)
}

func log(_ seconds: Int64, _ service: String, _ severity: Severity = .info, _ message: String = "m", traceID: String? = nil) -> LogRecord {
    LogRecord(time: Timestamp(nanoseconds: seconds * 1_000_000_000), service: service, severity: severity, message: message, traceID: traceID)
}

@Suite("SQLite log storage")
struct StorageTests {
    @Test("records round-trip with every field")
    func roundTrip() async throws {
        try await withDatabase { database, _ in
            let record = LogRecord(
                time: Timestamp(nanoseconds: 1_795_623_338_123_456_789), service: "checkout", severity: .error,
                message: "declined", traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7",
                durationMs: 12.5, status: 502, route: "/api/pay", method: "POST", attributes: #"{"user":{"id":1}}"#
            )
            try await SQLiteRecordWriter(database: database).write(logs: [record, log(1, "cart", .info, "")])
            let stored = try await SQLiteLogReader(database: database).logs(matching: LogQuery())
            #expect(stored.first == record)
            #expect(stored.last?.message == "")
        }
    }

    @Test("filters: service, minimum level, trace, time range, limit; newest first")
    func filters() async throws {
        try await withDatabase { database, _ in
            try await SQLiteRecordWriter(database: database).write(logs: [
                log(10, "cart"), log(20, "cart", .error), log(30, "payment", .warn, traceID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                log(40, "payment", .fatal), log(50, "cart", .debug),
            ])
            let reader = SQLiteLogReader(database: database)
            func seconds(_ query: LogQuery) async throws -> [Int64] {
                try await reader.logs(matching: query).map { $0.time.nanoseconds / 1_000_000_000 }
            }
            #expect(try await seconds(LogQuery()) == [50, 40, 30, 20, 10])
            #expect(try await seconds(LogQuery(service: "cart")) == [50, 20, 10])
            #expect(try await seconds(LogQuery(minimumSeverity: .warn)) == [40, 30, 20])
            #expect(try await seconds(LogQuery(traceID: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")) == [30])
            #expect(try await seconds(LogQuery(since: Timestamp(nanoseconds: 20_000_000_000), until: Timestamp(nanoseconds: 40_000_000_000))) == [30, 20])
            #expect(try await seconds(LogQuery(limit: 2)) == [50, 40])
        }
    }

    @Test("full-text search finds records before and after the indexer reached them")
    func fullText() async throws {
        try await withDatabase { database, _ in
            let writer = SQLiteRecordWriter(database: database)
            try await writer.write(logs: [log(1, "a", .info, "connection refused by upstream"), log(2, "a", .info, "all good")])
            let reader = SQLiteLogReader(database: database)
            // Not indexed yet: found by the tail scan.
            #expect(try await reader.logs(matching: LogQuery(text: "refused")).count == 1)
            #expect(try await database.catchUpIndexes(maxRows: 1000) == 2)
            #expect(try await database.catchUpIndexes(maxRows: 1000) == 0)
            try await writer.write(logs: [log(3, "a", .info, "connection reset: refused again")])
            #expect(try await reader.logs(matching: LogQuery(text: "refused")).map(\.time.nanoseconds) == [3_000_000_000, 1_000_000_000])
            #expect(try await reader.logs(matching: LogQuery(text: "connection upstream")).count == 1)
            #expect(try await reader.logs(matching: LogQuery(text: "reset:")).count == 1)
            #expect(try await reader.logs(matching: LogQuery(text: "\"quoted\" OR -x*")).isEmpty)
        }
    }

    @Test("retention deletes old, indexed logs in chunks and keeps the indexes consistent")
    func retention() async throws {
        try await withDatabase { database, _ in
            let writer = SQLiteRecordWriter(database: database)
            try await writer.write(logs: (0..<120).map { log(Int64($0), "s", .info, "needle \($0)", traceID: "abcdef0123456789abcdef0123456789") })
            _ = try await database.catchUpIndexes(maxRows: 50)
            // Rows the indexer has not reached wait for it.
            #expect(try await database.deleteLogs(olderThan: Timestamp(nanoseconds: 100_000_000_000), chunk: 7) == 50)
            _ = try await database.catchUpIndexes(maxRows: 1000)
            #expect(try await database.deleteLogs(olderThan: Timestamp(nanoseconds: 100_000_000_000), chunk: 7) == 50)
            #expect(try await database.logCount() == 20)
            let reader = SQLiteLogReader(database: database)
            #expect(try await reader.logs(matching: LogQuery(text: "needle", limit: 1000)).count == 20)
            #expect(try await reader.logs(matching: LogQuery(traceID: "abcdef0123456789abcdef0123456789", limit: 1000)).count == 20)
            // Ids stay monotonic after the table was emptied, so new rows are indexed.
            #expect(try await database.deleteLogs(olderThan: .latest) == 20)
            try await writer.write(logs: [log(500, "s", .info, "needle fresh")])
            _ = try await database.catchUpIndexes(maxRows: 1000)
            #expect(try await reader.logs(matching: LogQuery(text: "fresh")).count == 1)
            #expect(try await reader.logs(matching: LogQuery(text: "needle", limit: 1000)).count == 1)
        }
    }

    @Test("trace ids are found through the index and in the unindexed tail")
    func traceLookup() async throws {
        try await withDatabase { database, _ in
            let writer = SQLiteRecordWriter(database: database)
            let trace = "4bf92f3577b34da6a3ce929d0e0e4736"
            // A message that mentions the id matches the index, but is not a log of the trace.
            try await writer.write(logs: [log(1, "a", traceID: trace), log(2, "a", .info, "retrying \(trace)"), log(3, "a")])
            let reader = SQLiteLogReader(database: database)
            #expect(try await reader.logs(matching: LogQuery(traceID: trace)).count == 1)
            _ = try await database.catchUpIndexes(maxRows: 1000)
            try await writer.write(logs: [log(4, "b", traceID: trace)])
            #expect(try await reader.logs(matching: LogQuery(traceID: trace)).map(\.service) == ["b", "a"])
            #expect(try await reader.logs(matching: LogQuery(text: trace)).count == 1)
        }
    }

    @Test("searches are right whether the index narrows to few rows or matches very many")
    func fewAndManyCandidates() async throws {
        try await withDatabase { database, _ in
            let writer = SQLiteRecordWriter(database: database)
            var records = (0..<50_100).map { log(Int64($0), "s", .info, "common request \($0 % 7)") }
            records[10].message = "common but rare-word"
            records[40_000].message = "rare-word again"
            try await writer.write(logs: records)
            _ = try await database.catchUpIndexes(maxRows: 100_000)
            try await writer.write(logs: [log(60_000, "s", .info, "rare-word in the unindexed tail")])
            let reader = SQLiteLogReader(database: database)
            let rare = try await reader.logs(matching: LogQuery(text: "rare-word"))
            #expect(rare.map { $0.time.nanoseconds / 1_000_000_000 } == [60_000, 40_000, 10])
            let common = try await reader.logs(matching: LogQuery(text: "common", limit: 3))
            #expect(common.map { $0.time.nanoseconds / 1_000_000_000 } == [50_099, 50_098, 50_097])
        }
    }

    @Test("without the index file, --db readers still find everything by scanning")
    func missingIndexFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("obs.db")
        let database = try ObsDatabase.open(at: path)
        try await SQLiteRecordWriter(database: database).write(logs: [log(1, "a", .info, "lonely message", traceID: "abcdef0123456789abcdef0123456789")])
        _ = try await database.catchUpIndexes(maxRows: 1000)
        try database.close()
        try FileManager.default.removeItem(atPath: ObsDatabase.indexPath(for: path))
        let readOnly = try ObsDatabase.openReadOnly(at: path)
        let reader = SQLiteLogReader(database: readOnly)
        #expect(try await reader.logs(matching: LogQuery(text: "lonely")).count == 1)
        #expect(try await reader.logs(matching: LogQuery(traceID: "abcdef0123456789abcdef0123456789")).count == 1)
        try readOnly.close()
        // The daemon rebuilds the index from scratch.
        let reopened = try ObsDatabase.open(at: path)
        #expect(try await reopened.catchUpIndexes(maxRows: 1000) == 1)
        try reopened.close()
    }

    @Test("read-only opening: missing files and writes are clear errors")
    func readOnly() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(throws: StorageError.self) { try ObsDatabase.openReadOnly(at: directory.file("missing.db")) }
        let database = try ObsDatabase.open(at: directory.file("obs.db"))
        try await SQLiteRecordWriter(database: database).write(logs: [log(1, "a")])
        try database.close()
        let readOnly = try ObsDatabase.openReadOnly(at: directory.file("obs.db"))
        #expect(try await SQLiteLogReader(database: readOnly).logs(matching: LogQuery()).count == 1)
        await #expect(throws: StorageError.self) { try await SQLiteRecordWriter(database: readOnly).write(logs: [log(2, "a")]) }
        try readOnly.close()
    }
}

/// A source that hands out prepared batches, then finishes.
final class FixedBatches: IngestBatchSource {
    let batches: Mutex<[IngestBatch]>
    init(_ batches: [IngestBatch]) { self.batches = Mutex(batches) }
    func nextBatch(maxRecords: Int) async -> IngestBatch? { pollBatch(maxRecords: maxRecords) }
    func pollBatch(maxRecords: Int) -> IngestBatch? { batches.withLock { $0.isEmpty ? nil : $0.removeFirst() } }
    func finish() {}
}

@Suite("Batch writer")
struct BatchWriterTests {
    @Test("acknowledges each submission after its batch committed; failures reach the sender")
    func acknowledges() async throws {
        try await withDatabase { database, directory in
            let results = Mutex<[String]>([])
            func batch(_ name: String, _ records: [LogRecord]) -> IngestBatch {
                IngestBatch(logs: records, acknowledgements: [IngestAcknowledgement { result in
                    results.withLock { $0.append("\(name): \((try? result.get()) != nil ? "ok" : "failed")") }
                }])
            }
            let commits = Mutex(0)
            let writer = BatchWriter(
                source: FixedBatches([batch("one", [log(1, "a")]), batch("two", [log(2, "a"), log(3, "a")])]),
                writer: SQLiteRecordWriter(database: database),
                configuration: .init(linger: .zero),
                logger: Logger(label: "test")
            ) { records, _, committed in if committed { commits.withLock { $0 += records } } }
            await writer.drain()
            #expect(results.withLock { $0 } == ["one: ok", "two: ok"])
            #expect(commits.withLock { $0 } == 3)
            #expect(try await database.logCount() == 3)

            // A store that cannot write (read-only file) fails the batch, and the sender hears it.
            try database.close()
            let readOnly = try ObsDatabase.openReadOnly(at: directory.file("data/obs.db"))
            let failing = BatchWriter(
                source: FixedBatches([batch("three", [log(4, "a")])]), writer: SQLiteRecordWriter(database: readOnly),
                configuration: .init(linger: .zero), logger: Logger(label: "test")
            )
            await failing.drain()
            #expect(results.withLock { $0.last } == "three: failed")
        }
    }
}

extension BatchWriterTests {
    @Test("each batch's onCommit runs once, in commit order with growing ids, before its senders hear")
    func commitHookOrder() async throws {
        try await withDatabase { database, _ in
            let events = Mutex<[String]>([])
            let batches = (1...6).map { index in
                IngestBatch(logs: (0..<index).map { log(Int64($0), "s") }, acknowledgements: [IngestAcknowledgement { _ in
                    events.withLock { $0.append("ack \(index)") }
                }])
            }
            let writer = BatchWriter(
                source: FixedBatches(batches), writer: SQLiteRecordWriter(database: database),
                configuration: .init(linger: .zero), logger: Logger(label: "test"),
                onCommit: { logs, _, ids in events.withLock { $0.append("commit \(logs.count) up to \(ids.lastLogID ?? 0)") } }
            )
            await writer.drain()
            // Batch n holds n logs, so the ids of batch n end at 1 + 2 + … + n.
            #expect(events.withLock { $0 } == (1...6).flatMap { ["commit \($0) up to \($0 * ($0 + 1) / 2)", "ack \($0)"] })
        }
    }
}

@Suite("Maintenance service")
struct MaintenanceServiceTests {
    @Test("indexes new logs and applies retention against the injected clock")
    func indexesAndRetains() async throws {
        try await withDatabase { database, _ in
            try await SQLiteRecordWriter(database: database).write(logs: [
                log(1_000, "old", .info, "expired entry"), log(90_000, "new", .info, "kept entry"),
            ])
            // The clock says 100,000 s; retention is one day: the first record is past it.
            let service = MaintenanceService(
                database: database,
                configuration: .init(logRetention: .seconds(86_400), indexInterval: .milliseconds(10), retentionInterval: .milliseconds(10)),
                logger: Logger(label: "test"),
                clock: ManualClock(now: Timestamp(nanoseconds: 100_000_000_000_000))
            )
            let running = Task { try await service.run() }
            var remaining: [String] = []
            for _ in 0..<500 {
                remaining = try await SQLiteLogReader(database: database).logs(matching: LogQuery()).map(\.service)
                if remaining == ["new"] { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            running.cancel()
            try await running.value
            #expect(remaining == ["new"])
            // Indexed: found through the index, not only by the tail scan.
            #expect(try await database.catchUpIndexes(maxRows: 10) == 0)
            #expect(try await SQLiteLogReader(database: database).logs(matching: LogQuery(text: "kept")).count == 1)
        }
    }
}

@Suite("SQLite span storage")
struct SpanStorageTests {
    func span(_ id: String, trace: String, parent: String? = nil, start: Int64) -> TraceSpan {
        TraceSpan(traceID: trace, spanID: id, parentSpanID: parent, service: "s", name: "op \(id)", kind: .server,
                  start: Timestamp(nanoseconds: start * 1_000_000_000), durationNanoseconds: 5_000_000, status: .error,
                  statusMessage: "bad", attributes: #"{"k":1}"#, events: #"[{"name":"e"}]"#)
    }

    @Test("a trace's spans and logs come back, indexed or not yet, across several writes")
    func traceRoundTrip() async throws {
        try await withDatabase { database, _ in
            let trace = "4bf92f3577b34da6a3ce929d0e0e4736"
            let other = "ffffffffffffffffffffffffffffffff"
            let writer = SQLiteRecordWriter(database: database)
            let first = span("0000000000000002", trace: trace, parent: "0000000000000001", start: 2)
            try await writer.write(logs: [log(3, "s", .error, "failed", traceID: trace)], spans: [first, span("0000000000000009", trace: other, start: 1)])
            _ = try await database.catchUpIndexes(maxRows: 1000)
            let root = span("0000000000000001", trace: trace, start: 1)
            try await writer.write(logs: [], spans: [root])
            let reader = SQLiteTraceReader(database: database)
            let (spans, logs) = try await reader.trace(id: trace.uppercased())
            #expect(spans == [root, first])
            #expect(logs.map(\.message) == ["failed"])
            #expect(try await reader.trace(id: "00000000000000000000000000000000").spans.isEmpty)
        }
    }

    @Test("span retention deletes old, indexed spans")
    func retention() async throws {
        try await withDatabase { database, _ in
            let trace = "4bf92f3577b34da6a3ce929d0e0e4736"
            try await SQLiteRecordWriter(database: database).write(logs: [], spans: [
                span("0000000000000001", trace: trace, start: 10), span("0000000000000002", trace: trace, start: 1000),
            ])
            _ = try await database.catchUpIndexes(maxRows: 1000)
            #expect(try await database.deleteSpans(olderThan: Timestamp(nanoseconds: 500_000_000_000)) == 1)
            #expect(try await SQLiteTraceReader(database: database).trace(id: trace).spans.map(\.spanID) == ["0000000000000002"])
        }
    }
}

@Suite("Trace lists")
struct TraceListTests {
    func span(_ trace: Character, _ id: String, parent: String? = nil, service: String, start: Int64, ms: Int64, error: Bool = false) -> TraceSpan {
        TraceSpan(traceID: String(repeating: trace, count: 32), spanID: id, parentSpanID: parent, service: service, name: "op-\(service)",
                  start: Timestamp(nanoseconds: start * 1_000_000_000), durationNanoseconds: ms * 1_000_000, status: error ? .error : .unset)
    }

    @Test("newest first, one summary per trace, filtered by service, errors and duration")
    func lists() async throws {
        try await withDatabase { database, _ in
            try await SQLiteRecordWriter(database: database).write(logs: [], spans: [
                span("a", "000000000000000a", service: "gateway", start: 10, ms: 100),
                span("a", "000000000000000b", parent: "000000000000000a", service: "cart", start: 10, ms: 40),
                span("b", "00000000000000c1", service: "gateway", start: 20, ms: 2500),
                span("b", "00000000000000c2", parent: "00000000000000c1", service: "payment", start: 21, ms: 900, error: true),
                span("c", "00000000000000d1", service: "search", start: 30, ms: 5),
            ])
            _ = try await database.catchUpIndexes(maxRows: 100)
            let reader = SQLiteTraceReader(database: database)
            let all = try await reader.traces(matching: TraceQuery())
            #expect(all.map { $0.traceID.first } == ["c", "b", "a"])
            let b = try #require(all.first { $0.traceID.first == "b" })
            #expect(b.rootService == "gateway")
            #expect(b.spanCount == 2)
            #expect(b.hasError)
            #expect(b.durationNanoseconds == 2_500_000_000)
            #expect(b.services == ["gateway", "payment"])
            #expect(try await reader.traces(matching: TraceQuery(service: "cart")).map { $0.traceID.first } == ["a"])
            #expect(try await reader.traces(matching: TraceQuery(errorsOnly: true)).map { $0.traceID.first } == ["b"])
            #expect(try await reader.traces(matching: TraceQuery(minimumDurationNanoseconds: 50_000_000)).map { $0.traceID.first } == ["b", "a"])
            #expect(try await reader.traces(matching: TraceQuery(limit: 1)).count == 1)
            #expect(try await reader.traces(matching: TraceQuery(since: Timestamp(nanoseconds: 15_000_000_000), until: Timestamp(nanoseconds: 25_000_000_000))).map { $0.traceID.first } == ["b"])
        }
    }
}
