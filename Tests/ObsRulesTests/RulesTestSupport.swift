import Foundation
import ObsAggregate
import ObsCore
import ObsQuery
import ObsRules
import ObsStorage
import ObsTesting
import Synchronization

func at(_ seconds: Int64) -> Timestamp {
    Timestamp(nanoseconds: seconds * 1_000_000_000)
}

/// An alerting rule as a file would give it, parsed for real.
func alertingRule(
    _ name: String = "CheckoutSlow", _ expr: String = "p95(latency[5m]) by (service) > 2s", group: String = "shop",
    for hold: Duration = .zero, keepFiringFor: Duration = .zero,
    labels: [(String, String)] = [], annotations: [(String, String)] = []
) throws -> AlertingRule {
    AlertingRule(
        group: group, name: name, query: expr, expression: try QueryParser.parse(expr), holdDuration: hold, keepFiringFor: keepFiringFor,
        labels: try labels.map { ($0.0, try AlertTemplate(parsing: $0.1)) },
        annotations: try annotations.map { ($0.0, try AlertTemplate(parsing: $0.1)) }
    )
}

func sample(_ service: String, _ value: Double?, holds: Bool) -> RuleSample {
    RuleSample(labels: ["service": service], value: value, holds: holds)
}

/// A real obs.db in a temp dir with its alert store; `reopen()` closes and opens the file
/// again, as a restarted daemon would.
final class AlertStoreFixture: @unchecked Sendable {
    let directory: TemporaryDirectory
    private(set) var database: ObsDatabase
    private(set) var store: SQLiteAlertStore

    init() throws {
        directory = try TemporaryDirectory("obs-rules")
        database = try ObsDatabase.open(at: directory.file("obs.db"))
        store = SQLiteAlertStore(database: database)
    }

    func reopen() throws {
        try database.close()
        database = try ObsDatabase.open(at: directory.file("obs.db"))
        store = SQLiteAlertStore(database: database)
    }

    func history() async throws -> [AlertTransition] {
        try await store.transitions(matching: AlertHistoryQuery(limit: 10_000))
    }

    func remove() {
        try? database.close()
        directory.remove()
    }
}

/// Rule conditions decided by the test: per rule name, what each evaluation time yields.
/// (The rule engine's input, not a stand-in for SQLite: restart and failure tests need
/// conditions that change exactly when they say.)
final class ScriptedConditions: RuleConditionSource {
    typealias Script = @Sendable (_ rule: String, _ time: Timestamp) async throws(QueryError) -> [RuleSample]
    private let script: Script

    init(_ script: @escaping Script) {
        self.script = script
    }

    func condition(of rule: AlertingRule, at times: [Timestamp], anomalies: AnomalyMemory) async throws(QueryError) -> ConditionResult {
        var byLabels: [[String: String]: (values: [Double?], holds: [Bool])] = [:]
        for (index, time) in times.enumerated() {
            for sample in try await script(rule.name, time) {
                var entry = byLabels[sample.labels] ?? (Array(repeating: nil, count: times.count), Array(repeating: false, count: times.count))
                entry.values[index] = sample.value
                entry.holds[index] = sample.holds
                byLabels[sample.labels] = entry
            }
        }
        return ConditionResult(times: times, series: byLabels.map { .init(labels: $0.key, values: $0.value.values, holds: $0.value.holds) })
    }
}

/// Records what the engine hands its sinks, and can refuse (throw inside the transaction).
final class RecordingSink: AlertTransitionSink {
    struct Refused: Error {}
    let failing = Atomic<Bool>(false)
    private let recorded = Mutex<[AlertTransition]>([])
    private let committedTransitions = Mutex<[AlertTransition]>([])

    var inTransaction: [AlertTransition] { recorded.withLock { $0 } }
    var afterCommit: [AlertTransition] { committedTransitions.withLock { $0 } }

    func record(_ transitions: [AlertTransition], in transaction: any AlertTransaction) throws {
        if failing.load(ordering: .relaxed) { throw Refused() }
        recorded.withLock { $0 += transitions }
    }

    func committed(_ transitions: [AlertTransition]) {
        committedTransitions.withLock { $0 += transitions }
    }
}

/// `logs` through the real aggregator into the store of `database`, everything flushed (as
/// the daemon writes it), and the evaluator over that store.
func storeRollups(of logs: [LogRecord], now: Timestamp, in database: ObsDatabase) async throws -> QueryEvaluator {
    let store = SQLiteRollupStore(database: database, merger: LatencySketch.mergeEncoded)
    let aggregator = EventTimeAggregator()
    aggregator.observe(logs: logs, spans: [], now: now)
    if let pending = aggregator.beginFlush(now: now, everything: true) {
        try await store.add(pending.deltas, generation: pending.generation, watermark: pending.watermark)
        aggregator.finishFlush(pending, committed: true)
    }
    return QueryEvaluator(source: RollupQuerySource(reader: store, aggregator: nil))
}
