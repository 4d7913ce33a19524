import Logging
import ObsCore
import ObsStorage
import ServiceLifecycle

/// Resolves mitigated incidents once their cooldown passed without a re-fire. The
/// resolution is dated at the mitigation: the cooldown only confirmed that the impact ended
/// then, and counting it would add the cooldown to every MTTR.
public struct IncidentCooldown: Service {
    let store: SQLiteIncidentStore
    let clock: any ObsClock
    let logger: Logger
    /// New cooldowns start in alert transactions this service does not see: it looks again
    /// at least this often.
    static let lookInterval = Duration.seconds(1)

    public init(store: SQLiteIncidentStore, clock: any ObsClock, logger: Logger) {
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let now = clock.now()
                var next = now.adding(nanoseconds: Self.lookInterval.totalNanoseconds)
                do {
                    try await resolveDue(at: now)
                    if let due = try await store.nextResolutionDue(), due < next { next = due }
                } catch {
                    logger.error("incident cooldowns could not be checked; retrying", metadata: ["error": "\(error)"])
                }
                do { try await clock.sleep(until: next) } catch { return }
            }
        }
    }

    /// Resolves every incident whose cooldown passed at `time`; returns their ids.
    @discardableResult
    public func resolveDue(at time: Timestamp) async throws(StorageError) -> [Int64] {
        var resolved: [Int64] = []
        for due in try await store.dueForResolution(at: time) {
            let result = try await store.edit(due.id) { incident in
                guard incident.state != IncidentState.resolved.rawValue, let dueAt = incident.resolveDueAt, dueAt <= time,
                      let mitigated = incident.mitigatedAt else { return .unchanged }
                incident.state = IncidentState.resolved.rawValue
                incident.resolvedAt = mitigated
                incident.resolveDueAt = nil
                return .changed([IncidentEventRecord(
                    time: mitigated, kind: IncidentEventKind.resolved.rawValue, source: "cooldown",
                    detail: "no alert fired again within the cooldown (checked at \(time.rfc3339))"
                )])
            }
            if case .changed? = result?.edit {
                resolved.append(due.id)
                logger.info("incident resolved", metadata: ["incident.id": "\(due.id)", "incident.group": "\(due.groupKey)"])
            }
        }
        return resolved
    }
}
