import ObsCore

extension QueryEvaluator {
    /// Evaluates an alerting expression at `times` (one instant for a live rule, many for a
    /// backtest: the same windows either way).
    ///
    /// A top-level comparison (`p95(latency[5m]) by (service) > 2s`) keeps every series of
    /// its series side with its value, and says where the comparison holds; any other
    /// expression holds wherever it has a value (`absent(…)`, a filter inside arithmetic).
    /// An expression that is a plain number is refused: an alert needs series.
    ///
    /// A top-level `and` combines two conditions: it holds where both hold (series matched by
    /// identical labels), with the left side's value. Where a side's value is unknown (an SLO
    /// without traffic) the result is marked unknown, so that an alert keeps its state.
    public func condition(_ expression: Expression, at times: [Timestamp]) async throws(QueryError) -> ConditionResult {
        if case .binary(let operation) = expression, operation.op == .and {
            let lhs = try await condition(operation.lhs, at: times)
            let rhs = try await condition(operation.rhs, at: times)
            return ConditionResult.both(lhs, rhs)
        }
        guard case .binary(let operation) = expression, operation.op.isComparison else {
            let value = try await evaluate(expression, at: times)
            return try ConditionResult.holdingWhereValued(operand(value), times: times, position: expression.position)
                .markingUnknown(Self.unknowns(value))
        }
        let lhsValue = try await evaluate(operation.lhs, at: times)
        let rhsValue = try await evaluate(operation.rhs, at: times)
        return try ConditionResult.comparing(operand(lhsValue), operation, operand(rhsValue), times: times)
            .markingUnknown(Self.unknowns(lhsValue), Self.unknowns(rhsValue))
    }

    /// Per label set, where a value is unknown; empty when nothing is.
    private static func unknowns(_ value: Value) -> [[String: String]: [Bool]] {
        guard case .series(let series) = value else { return [:] }
        var result: [[String: String]: [Bool]] = [:]
        for one in series where one.unknown.contains(true) {
            result[one.labels] = EvaluatedSeries.either(result[one.labels] ?? [], one.unknown)
        }
        return result
    }

    private func operand(_ value: Value) -> ConditionResult.Operand {
        switch value {
        case .scalar(let number): .number(number)
        case .series(let series): .series(series.map { ($0.labels, $0.values) })
        }
    }
}

extension ConditionResult {
    /// One side of a condition: a number, or series with a value (or none) per instant.
    public enum Operand: Sendable {
        case number(Double)
        case series([(labels: [String: String], values: [Double?])])
    }

    /// A condition that is not a comparison: each series holds where it has a value.
    public static func holdingWhereValued(_ operand: Operand, times: [Timestamp], position: SourcePosition) throws(QueryError) -> ConditionResult {
        guard case .series(let series) = operand else {
            throw QueryError(at: position, "the expression is a number, not series; an alert needs series, e.g. p95(latency[5m]) by (service) > 2s")
        }
        return ConditionResult(times: times, series: series.map { one in
            Series(labels: one.labels, values: one.values, holds: one.values.map { $0 != nil })
        })
    }

    /// A comparison: the series side keeps every series and its values; it holds where the
    /// comparison does. Two series sides are matched by identical labels.
    public static func comparing(_ lhs: Operand, _ operation: BinaryOperation, _ rhs: Operand, times: [Timestamp]) throws(QueryError) -> ConditionResult {
        let op = operation.op
        switch (lhs, rhs) {
        case (.number, .number):
            throw QueryError(at: operation.position, "both sides of \(op.rawValue) are numbers; an alert needs series on one side")
        case (.series(let series), .number(let threshold)):
            return ConditionResult(times: times, series: series.map { one in
                Series(labels: one.labels, values: one.values, holds: one.values.map { $0.map { QueryEvaluator.compare(op, $0, threshold) } ?? false })
            })
        case (.number(let threshold), .series(let series)):
            return ConditionResult(times: times, series: series.map { one in
                Series(labels: one.labels, values: one.values, holds: one.values.map { $0.map { QueryEvaluator.compare(op, threshold, $0) } ?? false })
            })
        case (.series(let left), .series(let right)):
            var rightByLabels: [[String: String]: [Double?]] = [:]
            for one in right {
                guard rightByLabels[one.labels] == nil else {
                    throw QueryError(at: operation.position, "the right side of \(op.rawValue) has two series with the labels \(QuerySeries(labels: one.labels, points: []).labelText); add by (…) to tell them apart")
                }
                rightByLabels[one.labels] = one.values
            }
            return ConditionResult(times: times, series: left.map { one in
                let other = rightByLabels[one.labels] ?? Array(repeating: nil, count: times.count)
                let holds = zip(one.values, other).map { a, b in
                    guard let a, let b else { return false }
                    return QueryEvaluator.compare(op, a, b)
                }
                return Series(labels: one.labels, values: one.values, holds: holds)
            })
        }
    }
}
