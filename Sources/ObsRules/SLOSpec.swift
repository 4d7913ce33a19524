/// A `slos:` entry: a service-level objective over a rolling window.
public struct SLOSpec: Sendable, Equatable {
    public enum Indicator: String, Sendable {
        /// The share of requests that did not fail.
        case errors
        /// The share of requests faster than `threshold`.
        case latency
    }

    public var name: String
    public var service: String
    /// A fraction strictly between 0 and 1: `99.99%` is 0.9999.
    public var objective: Double
    public var sli: Indicator
    /// Set for `latency`, nil for `errors`.
    public var threshold: Duration?
    /// `30d` unless written.
    public var window: Duration
    /// Of the SLO's `name:` key (of the SLO's mapping when it has none).
    public var location: RuleLocation

    public static let defaultWindow: Duration = .seconds(30 * 86_400)

    public init(
        name: String,
        service: String,
        objective: Double,
        sli: Indicator,
        threshold: Duration? = nil,
        window: Duration = SLOSpec.defaultWindow,
        location: RuleLocation
    ) {
        self.name = name
        self.service = service
        self.objective = objective
        self.sli = sli
        self.threshold = threshold
        self.window = window
        self.location = location
    }
}
