import ObsCore
import ObsRules
import Prometheus

/// The rule engine's self metrics: evaluations, failures and their duration, each group's
/// last evaluation time, active alerts by state, the series anomaly detectors follow, and
/// whether the last reload worked.
public struct RuleMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let evaluations: Counter
    let failures: Counter
    let duration: DurationHistogram
    let pendingAlerts: Gauge
    let firingAlerts: Gauge
    let lastReloadSuccessful: Gauge
    let anomalySeries: Gauge

    static func name(_ subsystem: String?, _ noun: String, _ unit: String?, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "obs", subsystem: subsystem, metricName: noun, unitName: unit, helpText: help)
    }

    static var lastEvaluation: MetricNameDescriptor { name("rules", "last_evaluation_timestamp", "seconds", "Evaluation time of each group's last evaluation, in Unix seconds.") }

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        evaluations = registry.makeCounter(descriptor: Self.name("rules", "evaluations", "total", "Rule evaluations."))
        failures = registry.makeCounter(
            descriptor: Self.name("rules", "evaluation_failures", "total", "Rule evaluations that failed (query error, timeout, store failure).")
        )
        duration = registry.makeDurationHistogram(
            descriptor: Self.name("rules", "evaluation_duration", "seconds", "Time to evaluate one rule (its query and its state change)."),
            buckets: [.microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(10),
                      .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5)]
        )
        let alerts = Self.name(nil, "alerts", nil, "Active alerts by state.")
        pendingAlerts = registry.makeGauge(descriptor: alerts, labels: [("state", "pending")])
        firingAlerts = registry.makeGauge(descriptor: alerts, labels: [("state", "firing")])
        anomalySeries = registry.makeGauge(
            descriptor: Self.name("rules", "anomaly_series", nil, "Series the anomaly detectors of all rules follow.")
        )
        lastReloadSuccessful = registry.makeGauge(
            descriptor: Self.name("rules", "last_reload_successful", nil, "1 when the last load of the rule files succeeded, else 0.")
        )
    }

    var observer: RuleEngineObserver {
        RuleEngineObserver(
            ruleEvaluated: { _, seconds, failed in
                evaluations.increment()
                if failed { failures.increment() }
                duration.recordNanoseconds(Int64(seconds * 1e9))
            },
            groupEvaluated: { group, time, _ in
                registry.makeGauge(descriptor: Self.lastEvaluation, labels: [("group", group)]).set(to: Double(time.nanoseconds) / 1e9)
            },
            alertsCounted: { pending, firing in
                pendingAlerts.set(to: Double(pending))
                firingAlerts.set(to: Double(firing))
            },
            anomalySeriesCounted: { series in anomalySeries.set(to: Double(series)) }
        )
    }

    var reloaded: @Sendable (Bool) -> Void {
        { succeeded in lastReloadSuccessful.set(to: succeeded ? 1.0 : 0.0) }
    }
}
