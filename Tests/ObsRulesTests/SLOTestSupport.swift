import Foundation
import ObsAggregate
import ObsCore
import ObsQuery
import ObsRules
import ObsStorage
import ObsTesting

/// Checkout traffic of the worked example, written by the real aggregator into a real
/// SQLite file: one request a second from T0 (10 per 10 s bucket); from T0 + 1 h to
/// T0 + 2 h the first 2 of every 10 fail (20 %); then, optionally, no traffic at all for
/// two hours, and good traffic again from T0 + 4 h to T0 + 5 h.
final class SLOStoreFixture: @unchecked Sendable {
    static let t0: Int64 = 1_800_000_000 // an hour boundary
    let directory: TemporaryDirectory
    let database: ObsDatabase
    let store: SQLiteRollupStore

    init(gap: Bool, latencyMs: (_ second: Int64) -> Double = { _ in 100 }) async throws {
        directory = try TemporaryDirectory("obs-slo")
        database = try ObsDatabase.open(at: directory.file("obs.db"))
        store = SQLiteRollupStore(database: database, merger: LatencySketch.mergeEncoded)
        var records: [LogRecord] = []
        let seconds: [Int64] = gap ? Array(0..<7200) + Array(4 * 3600..<5 * 3600) : Array(0..<7200)
        for offset in seconds {
            let failed = offset >= 3600 && offset < 7200 && offset % 10 < 2
            records.append(LogRecord(time: at(Self.t0 + offset), service: "checkout", severity: failed ? .error : .info, message: "request",
                                     durationMs: latencyMs(offset), status: failed ? 503 : 200, route: "/pay", method: "POST"))
        }
        let aggregator = EventTimeAggregator()
        let end = at(Self.t0 + 6 * 3600)
        for chunk in stride(from: 0, to: records.count, by: 1000) {
            aggregator.observe(logs: Array(records[chunk..<min(records.count, chunk + 1000)]), spans: [], now: end)
        }
        let pending = try require(aggregator.beginFlush(now: at(Self.t0 + 7 * 3600)))
        try await store.add(pending.deltas, generation: pending.generation, watermark: pending.watermark)
        aggregator.finishFlush(pending, committed: true)
    }

    func evaluator(_ slos: [SLOSpec]) -> QueryEvaluator {
        QueryEvaluator(source: RollupQuerySource(reader: store, aggregator: nil), slos: SLOCatalog(slos.map(\.definition)))
    }

    deinit {
        try? database.close()
        directory.remove()
    }
}

/// A `#require` for non-test code paths of the fixture.
private func require<T>(_ value: T?) throws -> T {
    guard let value else { throw FixtureError() }
    return value
}

struct FixtureError: Error {}

/// A rule file with `slos:` only, loaded through the real loader (generated rules included).
func loadSLOFile(_ yaml: String) async throws -> RuleSet {
    let directory = try TemporaryDirectory("obs-slo-rules")
    defer { directory.remove() }
    return try await RuleSetLoader.load(paths: [try directory.write("slos.yaml", yaml)]).get()
}

let checkoutSLOYAML = """
    slos:
      - {name: checkout-availability, service: checkout, objective: 99%, sli: errors, window: 30d}
    """
