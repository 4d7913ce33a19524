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
        /// One per instant: true where the condition can be neither true nor false (an SLO
        /// without traffic); an alert then keeps its state instead of resolving.
        public var unknown: [Bool]

        public init(labels: [String: String], values: [Double?], holds: [Bool], unknown: [Bool]? = nil) {
            self.labels = labels
            self.values = values
            self.holds = holds
            self.unknown = unknown ?? Array(repeating: false, count: holds.count)
        }
    }

    public var times: [Timestamp]
    public var series: [Series]

    public init(times: [Timestamp], series: [Series]) {
        self.times = times
        self.series = series
    }
}
