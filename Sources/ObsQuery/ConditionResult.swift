import ObsCore

/// An alerting expression evaluated at some instants: per output series, the value of the
/// expression — for a comparison, of its series side, whether or not the comparison holds —
/// and whether the condition holds. This is what lets a resolved alert carry the value that
/// resolved it.
public struct ConditionResult: Sendable, Equatable {
    public struct Series: Sendable, Equatable {
        public var labels: [String: String]
        /// One per instant; nil where the series has no value.
        public var values: [Double?]
        /// One per instant.
        public var holds: [Bool]

        public init(labels: [String: String], values: [Double?], holds: [Bool]) {
            self.labels = labels
            self.values = values
            self.holds = holds
        }
    }

    public var times: [Timestamp]
    public var series: [Series]

    public init(times: [Timestamp], series: [Series]) {
        self.times = times
        self.series = series
    }
}
