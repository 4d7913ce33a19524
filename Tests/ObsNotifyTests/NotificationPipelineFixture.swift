import Foundation
import Logging
import ObsCore
import ObsStorage
import ObsTesting
@testable import ObsNotify

/// The notifier over a real SQLite file and a manual clock: transitions are committed through
/// the alert store with the notifier as sink, exactly as the rule engine does, and
/// `flush()` runs the dispatcher once at the clock's time.
final class NotificationPipelineFixture: @unchecked Sendable {
    static let start = Timestamp(nanoseconds: 1_800_000_000_000_000_000)

    let directory: TemporaryDirectory
    let database: ObsDatabase
    let store: SQLiteNotificationStore
    let alerts: SQLiteAlertStore
    let clock = ManualClock(now: NotificationPipelineFixture.start)
    let policy: NotificationPolicy
    let notifier: Notifier
    let dispatcher: NotificationDispatcher

    init(route: RouteSpec, receivers: [Receiver], inhibitRules: [InhibitRule] = []) throws {
        directory = try TemporaryDirectory("obs-notify")
        database = try ObsDatabase.open(at: directory.file("obs.db"))
        store = SQLiteNotificationStore(database: database)
        alerts = SQLiteAlertStore(database: database)
        let resolved = receivers.map { ResolvedReceiver(receiver: $0, secret: nil, routingKey: $0.format == .pagerduty ? "key" : nil) }
        policy = try NotificationPolicy(receivers: resolved, route: try Route(root: route), inhibitRules: inhibitRules,
                                        externalURL: "http://obs.test:4318/")
        let signal = WakeSignal()
        notifier = Notifier(policy: policy, store: store, clock: clock, groupsChanged: signal)
        dispatcher = NotificationDispatcher(policy: policy, store: store, clock: clock, groupsChanged: signal,
                                            outboxChanged: { _ in }, logger: Logger(label: "test"))
    }

    deinit {
        try? database.close()
        directory.remove()
    }

    static func receiver(_ name: String, format: ReceiverFormat = .json, sendResolved: Bool = true) -> Receiver {
        Receiver(name: name, url: URL(string: "http://127.0.0.1:9/\(name)")!, format: format, sendResolved: sendResolved)
    }

    func advance(by duration: Duration) {
        clock.advance(by: duration)
    }

    func transition(_ state: AlertState, _ labels: [String: String], value: Double? = 1, activeAt: Timestamp? = nil) async throws {
        let transition = AlertTransition(group: "shop", fingerprint: AlertFingerprint.of(labels), labels: labels,
                                         annotations: ["summary": "\(labels["alertname"] ?? "") is \(state.rawValue)"], state: state,
                                         time: clock.now(), value: value, activeAt: activeAt ?? clock.now())
        try await alerts.commit(AlertStateChange(transitions: [transition]), sinks: [notifier])
    }

    func fire(_ labels: [String: String], value: Double? = 1) async throws {
        try await transition(.firing, labels, value: value)
    }

    func resolve(_ labels: [String: String], value: Double? = 0) async throws {
        try await transition(.resolved, labels, value: value)
    }

    @discardableResult
    func flush() async -> Timestamp? {
        await dispatcher.flushDue()
    }

    /// Outbox entries, oldest first.
    func outbox() async throws -> [OutboxEntry] {
        try await store.entries(matching: OutboxQuery(limit: 1_000)).reversed()
    }

    /// The obs/1 JSON body of an entry.
    static func body(_ entry: OutboxEntry) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(entry.notification.body)) as? [String: Any] ?? [:]
    }

    static func alertStatuses(_ entry: OutboxEntry) throws -> [String: String] {
        var statuses: [String: String] = [:]
        for alert in try body(entry)["alerts"] as? [[String: Any]] ?? [] {
            let labels = alert["labels"] as? [String: String] ?? [:]
            statuses[labels["instance"] ?? labels["alertname"] ?? "?"] = alert["status"] as? String
        }
        return statuses
    }
}
