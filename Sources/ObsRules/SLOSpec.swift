import ObsQuery

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
    /// A regular expression over the `route` label, anchored at both ends as `=~` (so a plain
    /// path matches exactly); nil: every route of the service.
    public var route: String?
    /// A fraction strictly between 0 and 1: `99.99%` is 0.9999.
    public var objective: Double
    public var sli: Indicator
    /// Set for `latency`, nil for `errors`.
    public var threshold: Duration?
    /// `30d` unless written.
    public var window: Duration
    /// The generated `SLOBurnRate` alerts; the SRE Workbook's unless written.
    public var burnRateAlerts: [BurnRateAlertSpec]
    /// Of the SLO's `name:` key (of the SLO's mapping when it has none).
    public var location: RuleLocation

    public static let defaultWindow: Duration = .seconds(30 * 86_400)

    public init(
        name: String,
        service: String,
        route: String? = nil,
        objective: Double,
        sli: Indicator,
        threshold: Duration? = nil,
        window: Duration = SLOSpec.defaultWindow,
        burnRateAlerts: [BurnRateAlertSpec] = BurnRateAlertSpec.workbookDefaults,
        location: RuleLocation
    ) {
        self.name = name
        self.service = service
        self.route = route
        self.burnRateAlerts = burnRateAlerts
        self.objective = objective
        self.sli = sli
        self.threshold = threshold
        self.window = window
        self.location = location
    }
}

extension SLOSpec {
    /// What the evaluator counts by.
    public var definition: SLODefinition {
        SLODefinition(
            name: name, service: service, route: route, objective: objective,
            indicator: sli == .errors ? .errors : .latency,
            thresholdMs: threshold.map { Double($0.totalNanoseconds) / 1e6 },
            windowSeconds: window.totalNanoseconds / 1_000_000_000
        )
    }
}
