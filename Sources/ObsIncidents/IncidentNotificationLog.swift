import Logging
import ObsCore
import ObsStorage

/// Writes a `notified` row on the incidents of the alerts a notification carried — each
/// delivery and each failure — and dates the first delivery, from which MTTA counts.
public struct IncidentNotificationLog: NotificationDeliveryListener {
    let store: SQLiteIncidentStore
    let logger: Logger

    public init(store: SQLiteIncidentStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public func attempted(_ delivery: NotificationDelivery) async {
        let event = IncidentEventRecord(time: delivery.time, kind: IncidentEventKind.notified.rawValue, source: delivery.receiver,
                                        detail: delivery.detail)
        do {
            try await store.record(event, onIncidentsHolding: delivery.fingerprints) { incident in
                if delivery.delivered, incident.firstNotifiedAt == nil { incident.firstNotifiedAt = delivery.time }
            }
        } catch {
            logger.error("a delivery could not be written on its incidents' timelines", metadata: ["error": "\(error)"])
        }
    }
}
