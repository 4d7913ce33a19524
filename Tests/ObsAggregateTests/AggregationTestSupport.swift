import Foundation
import ObsAggregate
import ObsCore
import ObsStorage
import ObsTesting

/// A real store in a fresh temp dir, its rollup store, and an aggregator over it.
struct AggregationFixture {
    let directory: TemporaryDirectory
    let database: ObsDatabase
    let store: SQLiteRollupStore

    init() throws {
        directory = try TemporaryDirectory("obs-aggregate")
        database = try ObsDatabase.open(at: directory.file("obs.db"))
        store = SQLiteRollupStore(database: database, merger: LatencySketch.mergeEncoded)
    }

    func close() {
        try? database.close()
        directory.remove()
    }

    /// Writes what is closed at `now` (everything when asked) the way the flusher does.
    @discardableResult
    func flush(_ aggregator: EventTimeAggregator, at now: Int64, everything: Bool = false) async throws -> Int {
        guard let pending = aggregator.beginFlush(now: at(now), everything: everything) else { return 0 }
        try await store.add(pending.deltas, generation: pending.generation, watermark: pending.watermark)
        aggregator.finishFlush(pending, committed: true)
        return pending.bucketCount
    }

    /// Stored rows of one series and resolution, by bucket start.
    func rows(_ key: RollupSeriesKey, resolution: Int64) async throws -> [Int64: RollupRow] {
        let result = try await store.rows(in: [RollupRange(resolution: resolution, from: 0, through: .max)], series: [key], withSketches: true)
        return Dictionary(uniqueKeysWithValues: result.rows.map { ($0.bucketStart, $0) })
    }
}

func at(_ seconds: Int64) -> Timestamp {
    Timestamp(nanoseconds: seconds * 1_000_000_000)
}

func request(_ seconds: Int64, service: String = "checkout", route: String = "/pay", method: String = "POST",
             ms: Double = 100, status: Int = 200, spanID: String? = nil) -> LogRecord {
    LogRecord(time: at(seconds), service: service, severity: status >= 500 ? .error : .info, message: "request",
              spanID: spanID, durationMs: ms, status: status, route: route, method: method)
}

func serverSpan(_ seconds: Int64, service: String = "checkout", name: String = "POST /pay", ms: Double = 100,
                status: SpanStatus = .ok, attributes: String = "{}") -> TraceSpan {
    TraceSpan(traceID: String(repeating: "a", count: 32), spanID: String(repeating: "b", count: 16), parentSpanID: String(repeating: "c", count: 16),
              service: service, name: name, kind: .server, start: at(seconds), durationNanoseconds: Int64(ms * 1_000_000),
              status: status, attributes: attributes)
}
