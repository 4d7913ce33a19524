extension ConditionResult {
    /// Marks the instants where a side's value was unknown, by the series' labels: a
    /// comparison with an unknown side is unknown too, whatever it evaluated to.
    func markingUnknown(_ sides: [[String: String]: [Bool]]...) -> ConditionResult {
        let marked = sides.filter { !$0.isEmpty }
        guard !marked.isEmpty else { return self }
        var result = self
        for index in result.series.indices {
            for side in marked {
                guard let unknown = side[result.series[index].labels] else { continue }
                for (instant, isUnknown) in unknown.enumerated() where isUnknown && instant < result.series[index].unknown.count {
                    result.series[index].unknown[instant] = true
                }
            }
        }
        return result
    }

    /// Two conditions that must both hold, matched by identical labels; the left side's
    /// series and values. A left series with no match on the right never holds; an instant
    /// where either side is unknown is unknown.
    public static func both(_ lhs: ConditionResult, _ rhs: ConditionResult) -> ConditionResult {
        var rightByLabels: [[String: String]: Series] = [:]
        for one in rhs.series where rightByLabels[one.labels] == nil { rightByLabels[one.labels] = one }
        return ConditionResult(times: lhs.times, series: lhs.series.map { one in
            guard let other = rightByLabels[one.labels] else {
                return Series(labels: one.labels, values: one.values, holds: one.holds.map { _ in false }, unknown: one.unknown)
            }
            return Series(labels: one.labels, values: one.values,
                          holds: zip(one.holds, other.holds).map { $0 && $1 },
                          unknown: zip(one.unknown, other.unknown).map { $0 || $1 })
        })
    }
}
