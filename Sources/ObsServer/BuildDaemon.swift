import Foundation
import Hummingbird
import Logging
import NIOCore
import ObsAggregate
import ObsCore
import ObsIncidents
import ObsIngest
import ObsNotify
import ObsQuery
import ObsRules
import ObsStorage
import ServiceLifecycle

/// Builds the daemon: opens and resumes the store, loads the rules (refusing invalid ones
/// with every problem), restores the alerts, binds UDP, and puts the services in one
/// ServiceGroup, ingress last, so that shutdown runs in reverse: stop HTTP and UDP, drain the
/// queue through the writer, finish the rule evaluations, flush the buckets, stop the
/// notifier, stop maintenance; `run()` then closes SQLite.
///
/// Every "now" and every sleep of the long-running services comes from `clock`. With
/// `handleSignals` false (in-process tests) no signal is trapped and `services` is stopped
/// with `triggerGracefulShutdown()`; with a manual clock, give `batching` a zero linger.
/// `sinks` receive every alert transition inside the transaction that stores it.
public func buildDaemon(
    config: ObsConfig, environment: [String: String], clock: any ObsClock, logger: Logger,
    sinks: [any AlertTransitionSink] = [], handleSignals: Bool = true, batching: BatchWriter.Configuration = .init()
) async throws -> AssembledDaemon {
    let database = try ObsDatabase.open(at: config.databasePath)
    do {
        return try await assemble(database: database, config: config, environment: environment, clock: clock, logger: logger,
                                  sinks: sinks, handleSignals: handleSignals, batching: batching)
    } catch {
        try? database.close()
        throw error
    }
}

private func assemble(
    database: ObsDatabase, config: ObsConfig, environment: [String: String], clock: any ObsClock, logger: Logger,
    sinks: [any AlertTransitionSink], handleSignals: Bool, batching: BatchWriter.Configuration
) async throws -> AssembledDaemon {
    let rollups = SQLiteRollupStore(database: database, merger: LatencySketch.mergeEncoded)
    let aggregator = config.aggregate.enabled
        ? try await makeAggregator(database: database, rollups: rollups, config: config, clock: clock, logger: logger) : nil
    let metrics = ObsMetrics(aggregator: aggregator)
    let queue = IngestQueue(capacity: config.limits.queueEvents)
    metrics.queueCapacity.set(to: Double(queue.capacity))
    let decoder = NativeBodyDecoder(maxRecordBytes: config.limits.maxLineBytes)

    let writer = BatchWriter(
        source: queue, writer: SQLiteRecordWriter(database: database), configuration: batching, logger: logger, clock: clock,
        observer: { _, seconds, committed in
            metrics.commitSeconds.recordNanoseconds(Int64(seconds * 1e9))
            if !committed { metrics.commitFailures.increment() }
        },
        onCommit: { logs, spans, ids in aggregator?.observe(logs: logs, spans: spans, now: clock.now(), ids: ids) }
    )
    let flusher = aggregator.map { aggregator in
        RollupFlusher(aggregator: aggregator, writer: rollups, logger: logger, clock: clock) { buckets, committed in
            if committed { metrics.rollupBucketsWritten.increment(by: Int64(buckets)) } else { metrics.rollupFlushFailures.increment() }
        }
    }
    let maintenance = MaintenanceService(
        database: database,
        configuration: .init(
            logRetention: config.retention.logs, spanRetention: config.retention.spans, alertHistoryRetention: config.retention.alertHistory,
            rollupRetention: [10: config.retention.rollups10s, 60: config.retention.rollups1m, 3600: config.retention.rollups1h]
        ),
        logger: logger,
        clock: clock
    )

    let incidentStore = SQLiteIncidentStore(database: database)
    let notifications = try NotificationServices.make(
        config: config, environment: environment, database: database, clock: clock, metrics: metrics.notify,
        deliveryListeners: [IncidentNotificationLog(store: incidentStore, logger: logger)], logger: logger
    )
    let incidents = IncidentRecorder(policy: config.incidents.policy, store: incidentStore)
    // Filled by the rule manager from the rule files' `slos:`, on start and on every reload.
    let slos = SLOCatalog()
    let evaluator = QueryEvaluator(source: RollupQuerySource(reader: rollups, aggregator: aggregator), slos: slos)
    let rules = try await makeRuleManager(config: config, evaluator: evaluator, database: database, clock: clock,
                                          metrics: metrics, sinks: notifications.sinks + [incidents] + sinks, logger: logger)
    try await notifications.notifier?.adopt(await rules.engine.activeAlerts())

    let udp = try await UDPCollector.bind(to: config.udp, queue: queue, decoder: decoder, metrics: metrics, logger: logger)
    let udpAddress = udp.boundAddress ?? config.udp

    let router = Router()
    let ingestTokens = config.auth.tokens(config.auth.ingestTokensEnv, in: environment)
    let queryTokens = config.auth.tokens(config.auth.queryTokensEnv, in: environment)
    router.add(middleware: BearerTokenMiddleware(protected: [
        ("/ingest/", ingestTokens), ("/v1/", ingestTokens), ("/api/", queryTokens), ("/-/", queryTokens),
    ]))
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
    QueryController(evaluator: evaluator, clock: clock).register(with: router)
    SLOController(evaluator: evaluator, clock: clock).register(with: router)
    RulesController(manager: rules, history: SQLiteAlertStore(database: database), clock: clock,
                    suppression: notifications.suppression).register(with: router)
    NotificationsController(store: notifications.store, silences: notifications.silences).register(with: router)
    IncidentsController(store: incidentStore, desk: IncidentDesk(store: incidentStore, clock: clock), clock: clock,
                        externalURL: config.externalURL).register(with: router)
    HealthController(metrics: metrics, queue: queue, beforeScrape: notifications.refreshMetrics).register(with: router)

    let boundHTTP = AddressPromise()
    let databasePath = config.databasePath
    let http = Application(
        router: router,
        configuration: .init(address: .hostname(config.http.host, port: config.http.port), serverName: nil),
        onServerRunning: { channel in
            let address = HostPort(host: channel.localAddress?.ipAddress ?? "?", port: channel.localAddress?.port ?? 0)
            boundHTTP.fulfil(address)
            logger.info("obs listening http=\(address) udp=\(udpAddress)", metadata: ["db.path": "\(databasePath)"])
        },
        logger: logger
    )

    // Deliveries stop last but maintenance: the final evaluations' notifications are
    // composed before they stop, and what is still open resumes after the restart.
    var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
        .init(service: maintenance), .init(service: IncidentCooldown(store: incidentStore, clock: clock, logger: logger)),
    ]
    services += notifications.services.map { .init(service: $0) }
    // The flusher stops after the writer has drained, so its final flush holds every record;
    // the rule evaluations stop before it.
    if let flusher { services.append(.init(service: flusher)) }
    services += [.init(service: rules), .init(service: writer), .init(service: udp), .init(service: http)]
    if handleSignals { services.append(.init(service: ReloadOnHangup(rules: rules))) }
    let group = ServiceGroup(configuration: .init(
        services: services,
        gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [],
        logger: logger
    ))
    return AssembledDaemon(services: group, database: database, rules: rules, udpAddress: udpAddress, boundHTTP: boundHTTP, logger: logger)
}

/// The aggregator, resumed from the store: its series limits seeded from the stored
/// series, and — after a crash — the buckets that were only in memory rebuilt from the
/// stored records (on the first start over an older store, that is every record: a backfill).
private func makeAggregator(database: ObsDatabase, rollups: SQLiteRollupStore, config: ObsConfig, clock: any ObsClock,
                            logger: Logger) async throws -> EventTimeAggregator {
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
    let flusher = RollupFlusher(aggregator: aggregator, writer: rollups, logger: logger, clock: clock)
    let replayed = try await database.replayUnaggregated(after: stored.watermark) { logs, spans, ids in
        aggregator.observe(logs: logs, spans: spans, now: clock.now(), ids: ids)
        if aggregator.openBucketCount > 100_000 { try await flusher.flush() }
    }
    if replayed > 0 {
        logger.notice("Re-aggregated the records whose buckets the previous run had not written.", metadata: ["aggregate.records": "\(replayed)"])
    }
    return aggregator
}

/// The rule engine over the daemon's store: rules loaded (invalid files refuse the start),
/// alerts restored from the previous run, self metrics connected.
private func makeRuleManager(
    config: ObsConfig, evaluator: QueryEvaluator, database: ObsDatabase, clock: any ObsClock, metrics: ObsMetrics,
    sinks: [any AlertTransitionSink], logger: Logger
) async throws -> RuleManager {
    let source = RuleFileSource(path: config.rules.path, isDefault: config.rules.path == RulesConfig().path)
    let rules = try await source.load().get()
    evaluator.slos.replace(with: rules.slos.map(\.definition))
    let engine = RuleEngine(
        rules: rules, conditions: evaluator, store: SQLiteAlertStore(database: database), sinks: [AlertTransitionLog(logger: logger)] + sinks,
        clock: clock, externalURL: config.externalURL, observer: metrics.rules.observer, logger: logger
    )
    try await engine.restore(at: clock.now())
    metrics.rules.reloaded(true)
    logger.info("Rules loaded.", metadata: ["rules.path": "\(config.rules.path)", "rules.summary": "\(rules.summary)"])
    return RuleManager(engine: engine, load: source.load, clock: clock, logger: logger, slos: evaluator.slos,
                       reloaded: metrics.rules.reloaded)
}
