import Foundation
import Hummingbird
import Logging
import NIOCore
import ObsAggregate
import ObsCore
import ObsIngest
import ObsQuery
import ObsStorage
import ServiceLifecycle
import UnixSignals

/// `obs serve`: the one place that wires storage, ingest, HTTP and UDP together.
///
/// Services run in one ServiceGroup, ingress last, so graceful shutdown (SIGTERM/SIGINT) runs
/// in reverse: stop HTTP and UDP, drain the queue through the writer, stop maintenance,
/// then checkpoint and close SQLite.
public struct Daemon: Sendable {
    public let config: ObsConfig
    let environment: [String: String]
    let logger: Logger

    /// `environment` supplies the auth tokens named by `config.auth`.
    public init(config: ObsConfig, environment: [String: String], logger: Logger) {
        self.config = config
        self.environment = environment
        self.logger = logger
    }

    public func run() async throws {
        let database = try ObsDatabase.open(at: config.databasePath)
        let rollups = SQLiteRollupStore(database: database, merger: LatencySketch.mergeEncoded)
        let aggregator: EventTimeAggregator?
        do {
            aggregator = config.aggregate.enabled ? try await makeAggregator(database: database, rollups: rollups) : nil
        } catch {
            try? database.close()
            throw error
        }
        let metrics = ObsMetrics(aggregator: aggregator)
        let queue = IngestQueue(capacity: config.limits.queueEvents)
        metrics.queueCapacity.set(to: Double(queue.capacity))
        let decoder = NativeBodyDecoder(maxRecordBytes: config.limits.maxLineBytes)

        let writer = BatchWriter(
            source: queue, writer: SQLiteRecordWriter(database: database), logger: logger,
            observer: { _, seconds, committed in
                metrics.commitSeconds.recordNanoseconds(Int64(seconds * 1e9))
                if !committed { metrics.commitFailures.increment() }
            },
            onCommit: { logs, spans, ids in aggregator?.observe(logs: logs, spans: spans, now: Timestamp.now(), ids: ids) }
        )
        let flusher = aggregator.map { aggregator in
            RollupFlusher(aggregator: aggregator, writer: rollups, logger: self.logger, now: { Timestamp.now() }) { buckets, committed in
                if committed { metrics.rollupBucketsWritten.increment(by: Int64(buckets)) } else { metrics.rollupFlushFailures.increment() }
            }
        }
        let maintenance = MaintenanceService(
            database: database,
            configuration: .init(
                logRetention: config.retention.logs, spanRetention: config.retention.spans,
                rollupRetention: [10: config.retention.rollups10s, 60: config.retention.rollups1m, 3600: config.retention.rollups1h]
            ),
            logger: logger,
            now: { Timestamp.now() }
        )
        let udp: UDPCollector
        do {
            udp = try await UDPCollector.bind(to: config.udp, queue: queue, decoder: decoder, metrics: metrics, logger: logger)
        } catch {
            try? database.close()
            throw error
        }
        let udpAddress = udp.boundAddress.map(\.description) ?? config.udp.description

        let router = Router()
        let ingestTokens = config.auth.tokens(config.auth.ingestTokensEnv, in: environment)
        let queryTokens = config.auth.tokens(config.auth.queryTokensEnv, in: environment)
        router.add(middleware: BearerTokenMiddleware(protected: [("/ingest/", ingestTokens), ("/v1/", ingestTokens), ("/api/", queryTokens)]))
        logger.info("HTTP authentication configured.", metadata: [
            "auth.ingest": "\(ingestTokens.isEmpty ? "open" : "\(ingestTokens.count) token(s) from \(config.auth.ingestTokensEnv)")",
            "auth.query": "\(queryTokens.isEmpty ? "open" : "\(queryTokens.count) token(s) from \(config.auth.queryTokensEnv)")",
        ])
        IngestController(queue: queue, bodyReader: RequestBodyReader(maxBytes: config.limits.maxBodyBytes),
                         decoder: decoder, metrics: metrics, logger: logger).register(with: router)
        OTLPController(queue: queue, bodyReader: RequestBodyReader(maxBytes: config.limits.maxBodyBytes),
                       metrics: metrics, logger: logger).register(with: router)
        LogsController(reader: SQLiteLogReader(database: database)).register(with: router)
        TracesController(reader: SQLiteTraceReader(database: database)).register(with: router)
        QueryController(evaluator: QueryEvaluator(source: RollupQuerySource(reader: rollups, aggregator: aggregator)))
            .register(with: router)
        HealthController(metrics: metrics, queue: queue).register(with: router)

        let logger = self.logger
        let databasePath = config.databasePath
        let http = Application(
            router: router,
            configuration: .init(address: .hostname(config.http.host, port: config.http.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let host = channel.localAddress?.ipAddress ?? "?"
                let httpAddress = HostPort(host: host, port: port).description
                logger.info("obs listening http=\(httpAddress) udp=\(udpAddress)", metadata: ["db.path": "\(databasePath)"])
            },
            logger: logger
        )

        let group = ServiceGroup(configuration: .init(
            // The flusher stops after the writer has drained, so its final flush holds every record.
            services: [.init(service: maintenance)] + (flusher.map { [ServiceGroupConfiguration.ServiceConfiguration(service: $0)] } ?? []) + [
                .init(service: writer),
                .init(service: udp),
                .init(service: http),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        do {
            try await group.run()
        } catch {
            try? database.close()
            throw error
        }
        try database.close()
        logger.info("obs stopped: queue drained, database closed.")
    }

    /// The aggregator, resumed from the store: its series limits seeded from the stored
    /// series, and — after a crash — the buckets that were only in memory rebuilt from the
    /// stored records (on the first start over an older store, that is every record: a backfill).
    private func makeAggregator(database: ObsDatabase, rollups: SQLiteRollupStore) async throws -> EventTimeAggregator {
        let stored = try await rollups.committedState()
        let aggregator = EventTimeAggregator(
            configuration: .init(
                grace: config.aggregate.grace, seriesPerService: config.limits.series, maxServices: config.limits.services,
                requestLogs: RequestLogPolicy(rawValue: config.aggregate.requestLogs) ?? .auto,
                maxAge: config.retention.rollups1h
            ),
            knownSeries: try await rollups.series(kind: .requests).map(\.key) + rollups.series(kind: .logs).map(\.key),
            committedGeneration: stored.generation,
            watermark: stored.watermark
        )
        // A long backlog (a backfill) spans many buckets: write the closed ones as it goes.
        let flusher = RollupFlusher(aggregator: aggregator, writer: rollups, logger: logger, now: { Timestamp.now() })
        let replayed = try await database.replayUnaggregated(after: stored.watermark) { logs, spans, ids in
            aggregator.observe(logs: logs, spans: spans, now: Timestamp.now(), ids: ids)
            if aggregator.openBucketCount > 100_000 { try await flusher.flush() }
        }
        if replayed > 0 {
            logger.notice("Re-aggregated the records whose buckets the previous run had not written.", metadata: ["aggregate.records": "\(replayed)"])
        }
        return aggregator
    }
}
