import Logging
import ObsCore
import ObsStorage

/// The rule engine's notification sink: routes every firing and resolved transition to the
/// groups of the receivers it belongs to, inside the transaction that stores the
/// transition. What becomes a notification, and when, the dispatcher decides from there.
public struct Notifier: AlertTransitionSink {
    let policy: NotificationPolicy
    let store: SQLiteNotificationStore
    let clock: any ObsClock
    /// Wakes the dispatcher: a group created with `group_wait: 0s` is due at once.
    let groupsChanged: WakeSignal

    public init(policy: NotificationPolicy, store: SQLiteNotificationStore, clock: any ObsClock, groupsChanged: WakeSignal) {
        self.policy = policy
        self.store = store
        self.clock = clock
        self.groupsChanged = groupsChanged
    }

    public func record(_ transitions: [AlertTransition], in transaction: any AlertTransaction) throws {
        let now = clock.now()
        for transition in transitions {
            let firing: Bool
            switch transition.state {
            case .firing: firing = true
            case .resolved: firing = false
            case .pending, .inactive: continue
            }
            let alert = NotificationGroupAlert(
                fingerprint: transition.fingerprint, ruleGroup: transition.group, labels: transition.labels,
                annotations: transition.annotations, firing: firing, startsAt: transition.activeAt,
                endsAt: firing ? nil : transition.time, value: transition.value
            )
            try route(alert, at: now, in: transaction)
        }
    }

    /// Puts alerts that are firing at start-up into their groups when they are not there yet:
    /// a receiver or route added since they fired still hears about them. Alerts already in
    /// their groups are unchanged (and not announced again).
    public func adopt(_ alerts: [Alert]) async throws(StorageError) {
        let firing = alerts.filter { $0.state == .firing }
        guard !firing.isEmpty else { return }
        let now = clock.now()
        try await store.transaction { transaction in
            for alert in firing {
                try route(NotificationGroupAlert(fingerprint: alert.fingerprint, ruleGroup: alert.group, labels: alert.labels,
                                                 annotations: alert.annotations, firing: true, startsAt: alert.activeAt,
                                                 value: alert.value),
                          at: now, in: transaction, keepingExisting: true)
            }
        }
        groupsChanged.signal()
    }

    private func route(_ alert: NotificationGroupAlert, at now: Timestamp, in transaction: any AlertTransaction,
                       keepingExisting: Bool = false) throws {
        for route in policy.route.match(alert.labels) {
            let address = NotificationGroupAddress(
                receiver: route.receiver, groupKey: route.groupKey(for: alert.labels), routeID: route.id,
                groupLabels: route.groupLabels(for: alert.labels)
            )
            try store.route(alert, to: address, dueIfNew: now.adding(nanoseconds: route.groupWait.totalNanoseconds),
                            in: transaction, keepingExisting: keepingExisting)
        }
    }

    public func committed(_ transitions: [AlertTransition]) {
        if transitions.contains(where: { $0.state == .firing || $0.state == .resolved }) {
            groupsChanged.signal()
        }
    }
}
