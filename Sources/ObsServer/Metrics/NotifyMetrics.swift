import ObsNotify
import Prometheus

/// The notifier's self metrics: delivery attempts by receiver and result, their duration,
/// notifications given up per receiver, and the open outbox (refreshed on each scrape).
public struct NotifyMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let duration: DurationHistogram
    let outboxPending: Gauge

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        duration = registry.makeDurationHistogram(
            descriptor: RuleMetrics.name("notify", "delivery_duration", "seconds", "Time of one delivery attempt (the POST and its answer)."),
            buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(100),
                      .milliseconds(500), .seconds(1), .seconds(5), .seconds(10), .seconds(30)]
        )
        outboxPending = registry.makeGauge(
            descriptor: RuleMetrics.name("notify", "outbox_pending", nil, "Notifications in the outbox not yet delivered or given up.")
        )
    }

    var observer: DeliveryObserver {
        DeliveryObserver(attempted: { receiver, result, seconds in
            registry.makeCounter(
                descriptor: RuleMetrics.name("notify", "notifications", "total", "Delivery attempts by receiver and result (delivered, retry, dead)."),
                labels: [("receiver", receiver), ("result", result)]
            ).increment()
            if result == "dead" {
                registry.makeCounter(
                    descriptor: RuleMetrics.name("notify", "dead", "total", "Notifications given up (a permanent answer or max_delivery_time)."),
                    labels: [("receiver", receiver)]
                ).increment()
            }
            duration.recordNanoseconds(Int64(seconds * 1e9))
        })
    }

    func pending(_ count: Int) {
        outboxPending.set(to: Double(count))
    }
}
