import Foundation
import ObsAggregate
import ObsCore
import ObsQuery
import ObsRules
import ObsStorage

/// `obs rules test`: loads the rule files (which need not be the daemon's), checks them as
/// `obs rules check` does, and runs the stored history through them — from the SQLite file
/// opened read-only, or through a daemon's query API. Sends nothing, changes nothing.
public enum RuleBacktestClient {
    public static func run(rulePaths: [String], source: LogSource, since: Timestamp, until: Timestamp, rule: String?,
                           externalURL: String, progress: @escaping @Sendable (Double) -> Void) async throws(CLIError) -> BacktestReport {
        guard until > since else { throw CLIError("--until \(until) is not after --since \(since)") }
        let rules: RuleSet
        switch await RuleSetLoader.load(paths: rulePaths) {
        case .success(let loaded): rules = loaded
        case .failure(let error): throw CLIError("the rule files are invalid:\n\(error)")
        }
        if let rule, !rules.groups.contains(where: { $0.rules.contains { $0.name == rule } }) {
            throw CLIError("--rule \(rule): no such alert in \(rulePaths.joined(separator: ", ")) (\(rules.summary))")
        }
        switch source {
        case .database(let path):
            let database = try ReadOnlyStore.open(path)
            defer { try? database.close() }
            let store = SQLiteRollupStore(database: database, merger: LatencySketch.mergeEncoded)
            let evaluator = QueryEvaluator(source: RollupQuerySource(reader: store, aggregator: nil),
                                           slos: SLOCatalog(rules.slos.map(\.definition)))
            return await RuleBacktest(rules: rules, source: evaluator, externalURL: externalURL)
                .run(since: since, until: until, rule: rule, progress: progress)
        case .api(let base, let token):
            return await RuleBacktest(rules: rules, source: APIConditionSource(base: base, token: token), externalURL: externalURL)
                .run(since: since, until: until, rule: rule, progress: progress)
        }
    }
}
