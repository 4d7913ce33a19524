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
            for route in policy.route.match(transition.labels) {
                let address = NotificationGroupAddress(
                    receiver: route.receiver, groupKey: route.groupKey(for: transition.labels), routeID: route.id,
                    groupLabels: route.groupLabels(for: transition.labels)
                )
                try store.route(alert, to: address, dueIfNew: now.adding(nanoseconds: route.groupWait.totalNanoseconds),
                                in: transaction)
            }
        }
    }

    public func committed(_ transitions: [AlertTransition]) {
        if transitions.contains(where: { $0.state == .firing || $0.state == .resolved }) {
            groupsChanged.signal()
        }
    }
}
