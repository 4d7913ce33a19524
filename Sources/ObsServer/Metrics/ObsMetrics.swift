import ObsAggregate
import Prometheus

/// The daemon's own metrics, served at `/metrics` in Prometheus text format. Owned by one
/// daemon instance (no process-global registry), named `obs_<subsystem>_<noun>_<unit>`.
public final class ObsMetrics: Sendable {
    public enum Transport: String, Sendable {
        case http, udp
    }

    public struct TransportCounters: Sendable {
        /// Records seen in bodies and datagrams, valid or not.
        public let received: Counter
        /// Records committed (HTTP) or queued for commit (UDP).
        public let accepted: Counter
        /// Records refused as invalid.
        public let rejected: Counter
        /// Valid records not stored because the queue was full (UDP drops, HTTP 429s).
        public let dropped: Counter
    }

    public let registry: PrometheusCollectorRegistry
    public let http: TransportCounters
    public let udp: TransportCounters
    /// Datagrams that were not decodable at all.
    public let badDatagrams: Counter
    public let bodiesTooLarge: Counter
    public let commitSeconds: DurationHistogram
    public let commitFailures: Counter
    public let queueDepth: Gauge
    public let queueCapacity: Gauge
    public let rollupBucketsWritten: Counter
    public let rollupFlushFailures: Counter
    public let rules: RuleMetrics
    public let notify: NotifyMetrics
    /// The aggregator whose counters `/metrics` shows; nil when aggregation is off.
    let aggregator: EventTimeAggregator?

    public init(aggregator: EventTimeAggregator? = nil) {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        /// `obs_<subsystem>_<noun>_<unit>`.
        func name(_ subsystem: String, _ noun: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "obs", subsystem: subsystem, metricName: noun, unitName: unit, helpText: help)
        }
        func makeCounters(_ transport: Transport) -> TransportCounters {
            let labels = [("transport", transport.rawValue)]
            return TransportCounters(
                received: registry.makeCounter(descriptor: name("ingest", "records_received", "total", "Records received, valid or not."), labels: labels),
                accepted: registry.makeCounter(descriptor: name("ingest", "records_accepted", "total", "Records accepted for storage."), labels: labels),
                rejected: registry.makeCounter(descriptor: name("ingest", "records_rejected", "total", "Records rejected as invalid."), labels: labels),
                dropped: registry.makeCounter(
                    descriptor: name("ingest", "records_dropped", "total", "Valid records not stored because the ingest queue was full."),
                    labels: labels
                )
            )
        }
        http = makeCounters(.http)
        udp = makeCounters(.udp)
        badDatagrams = registry.makeCounter(descriptor: name("ingest", "datagrams_invalid", "total", "UDP datagrams with no valid record."))
        bodiesTooLarge = registry.makeCounter(
            descriptor: name("ingest", "bodies_too_large", "total", "HTTP bodies refused with 413, before or after decompression.")
        )
        commitSeconds = registry.makeDurationHistogram(
            descriptor: name("storage", "batch_commit", "seconds", "Time to write and commit one batch transaction."),
            buckets: [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                      .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1)]
        )
        commitFailures = registry.makeCounter(descriptor: name("storage", "batch_failures", "total", "Batch transactions that failed."))
        queueDepth = registry.makeGauge(descriptor: name("ingest", "queue", "events", "Records waiting in the ingest queue."))
        queueCapacity = registry.makeGauge(descriptor: name("ingest", "queue_capacity", "events", "Capacity of the ingest queue."))
        rollupBucketsWritten = registry.makeCounter(
            descriptor: name("aggregate", "buckets_written", "total", "10 s buckets written to the rollups table (each also merged into its 1 m and 1 h rows).")
        )
        rollupFlushFailures = registry.makeCounter(descriptor: name("aggregate", "flush_failures", "total", "Rollup flushes that failed (retried)."))
        rules = RuleMetrics(registry: registry)
        notify = NotifyMetrics(registry: registry)
        self.aggregator = aggregator
    }


    public func render() -> String {
        var text = registry.emitToString()
        if let aggregator {
            let counters = aggregator.counters
            let lines: [(String, String, String, Int)] = [
                ("obs_aggregate_observations_total", "counter", "Request observations and log lines aggregated.", counters.observations.load(ordering: .relaxed)),
                ("obs_aggregate_late_records_total", "counter", "Records whose bucket had closed; merged into the stored rollups.", counters.lateRecords.load(ordering: .relaxed)),
                ("obs_aggregate_series_folded_total", "counter", "Records counted under route=\"other\" (limits.series) or service=\"other\" (limits.services).", counters.foldedObservations.load(ordering: .relaxed)),
                ("obs_aggregate_out_of_range_records_total", "counter", "Records too old or too far ahead of the clock to aggregate (still stored).", counters.outOfRangeRecords.load(ordering: .relaxed)),
                ("obs_aggregate_request_logs_skipped_total", "counter", "Request log lines not counted because their service sends request spans.", counters.skippedRequestLogs.load(ordering: .relaxed)),
                ("obs_aggregate_open_buckets", "gauge", "Series buckets held in memory.", aggregator.openBucketCount),
            ]
            for (name, type, help, value) in lines {
                text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
            }
        }
        return text
    }
}
