import Logging
import ObsCore
import ObsNotify
import ObsRules
import ObsStorage
import ServiceLifecycle

/// The notifier as the daemon wires it: without receivers, only silences (they still show in
/// the alerts API); with them, the rule engine's sink, the dispatcher that composes due
/// groups into the outbox, and the deliveries.
struct NotificationServices: Sendable {
    let store: SQLiteNotificationStore
    let silences: SilenceBook
    let notifier: Notifier?
    var sinks: [any AlertTransitionSink] { notifier.map { [$0] } ?? [] }
    let services: [any Service]
    let inhibitor: Inhibitor?
    let metrics: NotifyMetrics

    static func make(config: ObsConfig, environment: [String: String], database: ObsDatabase, clock: any ObsClock,
                     metrics: NotifyMetrics, deliveryListeners: [any NotificationDeliveryListener],
                     logger: Logger) throws -> NotificationServices {
        let store = SQLiteNotificationStore(database: database)
        let silences = SilenceBook(store: store, clock: clock)
        guard let route = try config.notifications.resolvedRoute() else {
            return NotificationServices(store: store, silences: silences, notifier: nil, services: [], inhibitor: nil, metrics: metrics)
        }
        let receivers: [ResolvedReceiver]
        let policy: NotificationPolicy
        do {
            receivers = try ResolvedReceiver.resolve(config.notifications.receivers, environment: environment)
            policy = try NotificationPolicy(receivers: receivers, route: route, inhibitRules: config.notifications.inhibitRules,
                                            externalURL: config.externalURL)
        } catch {
            throw ConfigError(problems: error.problems.map { .init(location: "environment", key: "receivers", reason: $0) })
        }
        let groupsChanged = WakeSignal()
        let delivery = DeliveryService(receivers: receivers, store: store, clock: clock, observer: metrics.observer,
                                       listeners: deliveryListeners, logger: logger)
        let dispatcher = NotificationDispatcher(policy: policy, store: store, clock: clock, groupsChanged: groupsChanged,
                                                outboxChanged: delivery.outboxChanged, logger: logger)
        let notifier = Notifier(policy: policy, store: store, clock: clock, groupsChanged: groupsChanged)
        logger.info("Notifications configured.", metadata: [
            "notify.receivers": "\(receivers.map(\.name).joined(separator: ","))",
            "notify.routes": "\(route.walk().count)",
        ])
        return NotificationServices(store: store, silences: silences, notifier: notifier, services: [delivery, dispatcher],
                                    inhibitor: policy.inhibitor, metrics: metrics)
    }

    /// Which of these alerts a silence or an inhibit rule mutes now.
    var suppression: @Sendable ([Alert]) async -> [String: AlertSuppression] {
        { [silences, inhibitor] alerts in
            guard !alerts.isEmpty else { return [:] }
            let current = (try? await silences.current()) ?? []
            return AlertSuppression.of(alerts, silences: current, inhibitor: inhibitor, at: silences.now)
        }
    }

    var refreshMetrics: @Sendable () async -> Void {
        { [store, metrics] in
            if let counts = try? await store.openCounts() { metrics.pending(counts.values.reduce(0, +)) }
        }
    }
}
