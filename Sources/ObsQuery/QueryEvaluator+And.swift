extension QueryEvaluator {
    /// `a and b`: a's series that have a series with the same labels in b, at the instants
    /// where b has a value, with a's values. An instant where either side is unknown is
    /// unknown (an SLO without traffic cannot say that both windows burn, nor that they do not).
    static func intersect(_ operation: BinaryOperation, _ lhs: Value, _ rhs: Value) throws(QueryError) -> Value {
        guard case .series(let left) = lhs, case .series(let right) = rhs else {
            throw QueryError(at: operation.position, "both sides of and must be series, not numbers")
        }
        var rightByLabels: [[String: String]: (valued: [Bool], unknown: [Bool])] = [:]
        for one in right {
            var entry = rightByLabels[one.labels] ?? (Array(repeating: false, count: one.values.count), [])
            for (index, value) in one.values.enumerated() where value != nil { entry.valued[index] = true }
            entry.unknown = EvaluatedSeries.either(entry.unknown, one.unknown)
            rightByLabels[one.labels] = entry
        }
        return .series(left.compactMap { one in
            guard let other = rightByLabels[one.labels] else { return nil }
            let values = one.values.enumerated().map { index, value in other.valued[index] ? value : nil }
            return EvaluatedSeries(labels: one.labels, values: values, unknown: EvaluatedSeries.either(one.unknown, other.unknown))
        })
    }
}

extension QueryEvaluator.EvaluatedSeries {
    /// Unknown where either is (an empty array means known everywhere).
    static func either(_ a: [Bool], _ b: [Bool]) -> [Bool] {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        return zip(a, b).map { $0 || $1 }
    }

    func isUnknown(at index: Int) -> Bool { index < unknown.count && unknown[index] }
}
