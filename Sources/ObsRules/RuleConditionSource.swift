import ObsCore
import ObsQuery

/// Where a rule's condition is evaluated: the query evaluator over a store (the daemon, and
/// `obs rules test --db`), or a daemon's query API (`obs rules test --url`).
public protocol RuleConditionSource: Sendable {
    func condition(of rule: AlertingRule, at times: [Timestamp]) async throws(QueryError) -> ConditionResult
}

extension QueryEvaluator: RuleConditionSource {
    public func condition(of rule: AlertingRule, at times: [Timestamp]) async throws(QueryError) -> ConditionResult {
        try await condition(rule.expression, at: times)
    }
}
