/// What the evaluator needs to know of an SLO to count its good and bad requests: the rule
/// file's `slos:` entry (ObsRules' `SLOSpec`) reduced to numbers.
public struct SLODefinition: Sendable, Equatable {
    public enum Indicator: String, Sendable {
        /// A request is bad when it failed.
        case errors
        /// A request is bad when it took longer than the threshold.
        case latency
    }

    public var name: String
    public var service: String
    /// A regular expression over the `route` label, anchored at both ends (as `=~`); nil: every route.
    public var route: String?
    /// Strictly between 0 and 1.
    public var objective: Double
    public var indicator: Indicator
    /// For `latency`: the threshold in milliseconds (resolved to the sketch's bin; see
    /// `LatencySketch.count(above:)`).
    public var thresholdMs: Double?
    /// The rolling window of the SLI and the error budget, whole seconds.
    public var windowSeconds: Int64

    public init(name: String, service: String, route: String? = nil, objective: Double, indicator: Indicator,
                thresholdMs: Double? = nil, windowSeconds: Int64) {
        self.name = name
        self.service = service
        self.route = route
        self.objective = objective
        self.indicator = indicator
        self.thresholdMs = thresholdMs
        self.windowSeconds = windowSeconds
    }

    /// The share of requests the objective allows to be bad: 1 − objective.
    public var allowance: Double { 1 - objective }
}
