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

    public init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        func makeCounters(_ transport: Transport) -> TransportCounters {
            let labels = [("transport", transport.rawValue)]
            return TransportCounters(
                received: registry.makeCounter(name: "obs_ingest_records_received_total", labels: labels,
                                               help: "Records received, valid or not."),
                accepted: registry.makeCounter(name: "obs_ingest_records_accepted_total", labels: labels,
                                               help: "Records accepted for storage."),
                rejected: registry.makeCounter(name: "obs_ingest_records_rejected_total", labels: labels,
                                               help: "Records rejected as invalid."),
                dropped: registry.makeCounter(name: "obs_ingest_records_dropped_total", labels: labels,
                                              help: "Valid records not stored because the ingest queue was full.")
            )
        }
        http = makeCounters(.http)
        udp = makeCounters(.udp)
        badDatagrams = registry.makeCounter(name: "obs_ingest_datagrams_invalid_total", help: "UDP datagrams with no valid record.")
        bodiesTooLarge = registry.makeCounter(name: "obs_ingest_bodies_too_large_total",
                                              help: "HTTP bodies refused with 413, before or after decompression.")
        commitSeconds = registry.makeDurationHistogram(
            name: "obs_storage_batch_commit_seconds",
            buckets: [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                      .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1)],
            help: "Time to write and commit one batch transaction."
        )
        commitFailures = registry.makeCounter(name: "obs_storage_batch_failures_total", help: "Batch transactions that failed.")
        queueDepth = registry.makeGauge(name: "obs_ingest_queue_events", help: "Records waiting in the ingest queue.")
        queueCapacity = registry.makeGauge(name: "obs_ingest_queue_capacity_events", help: "Capacity of the ingest queue.")
    }

    public func transport(_ transport: Transport) -> TransportCounters {
        switch transport {
        case .http: http
        case .udp: udp
        }
    }

    public func render() -> String {
        registry.emitToString()
    }
}
