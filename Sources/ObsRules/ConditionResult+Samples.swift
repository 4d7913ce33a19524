import ObsQuery

extension ConditionResult {
    /// The samples of the instant at `index`, one per series, for the alert state machine
    /// (the daemon's single instant, or each instant of a backtest's chunk).
    public func samples(at index: Int) -> [RuleSample] {
        series.map { one in
            RuleSample(labels: one.labels, value: index < one.values.count ? one.values[index] : nil,
                       holds: index < one.holds.count ? one.holds[index] : false,
                       unknown: index < one.unknown.count ? one.unknown[index] : false)
        }
    }
}
