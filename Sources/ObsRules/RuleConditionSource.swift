import ObsCore
import ObsQuery

/// Where a rule's condition is evaluated: the query evaluator over a store (the daemon, and
/// `obs rules test --db`), or a daemon's query API (`obs rules test --url`).
///
/// `anomalies` holds the rule's anomaly detectors between calls (the engine's, or a
/// backtest's); a source that cannot keep them may ignore it, since a detector rebuilt from
/// the stored data scores the same.
public protocol RuleConditionSource: Sendable {
    func condition(of rule: AlertingRule, at times: [Timestamp], anomalies: AnomalyMemory) async throws(QueryError) -> ConditionResult
}

extension QueryEvaluator: RuleConditionSource {
    public func condition(of rule: AlertingRule, at times: [Timestamp], anomalies: AnomalyMemory) async throws(QueryError) -> ConditionResult {
        try await remembering(anomalies).condition(rule.expression, at: times)
    }
}
