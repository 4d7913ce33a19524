import Logging
import ObsCore
import ObsStorage
import ServiceLifecycle

/// Turns due groups into outbox entries: sleeps until the earliest group is due (or the
/// notifier says a group changed), flushes every due group in one transaction, and wakes the
/// deliveries of the receivers that got mail. A store failure is logged and retried; it
/// never reaches the rule engine.
public struct NotificationDispatcher: Service {
    let planner: GroupFlushPlanner
    let store: SQLiteNotificationStore
    let clock: any ObsClock
    let groupsChanged: WakeSignal
    let outboxChanged: @Sendable (Set<String>) -> Void
    let logger: Logger
    static let retryAfterFailure = Duration.seconds(5)

    public init(policy: NotificationPolicy, store: SQLiteNotificationStore, clock: any ObsClock, groupsChanged: WakeSignal,
                outboxChanged: @escaping @Sendable (Set<String>) -> Void, logger: Logger) {
        self.planner = GroupFlushPlanner(policy: policy)
        self.store = store
        self.clock = clock
        self.groupsChanged = groupsChanged
        self.outboxChanged = outboxChanged
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let next = await flushDue()
                await groupsChanged.wait(until: next, clock: clock)
            }
        }
    }

    /// Flushes what is due now; returns when to look next.
    func flushDue() async -> Timestamp? {
        let now = clock.now()
        do {
            let planner = self.planner
            let receivers = try await store.flushDueGroups(
                at: now, withFiring: planner.needsFiringAlerts,
                prepare: { context in planner.muteConditions(context, at: now) },
                decide: { group, conditions in planner.plan(group, muting: conditions, at: now) }
            )
            if !receivers.isEmpty { outboxChanged(receivers) }
            return try await store.nextGroupDue()
        } catch {
            logger.error("notification groups could not be flushed; retrying", metadata: ["error": "\(error)"])
            return now.adding(nanoseconds: Self.retryAfterFailure.totalNanoseconds)
        }
    }
}
