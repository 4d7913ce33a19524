import Foundation
import ObsCore

/// One POST the receiver got, read as the Alertmanager webhook body obs sends (`format:
/// alertmanager`): its group, status and alerts, with when it arrived and under which key.
struct NotifyBenchmarkPayload: Sendable {
    struct Alert: Sendable {
        var fingerprint: String
        var status: String
    }

    var sequence: Int
    var receivedAt: Timestamp
    var idempotencyKey: String?
    var groupKey: String
    var status: String
    var version: String
    var alerts: [Alert]

    /// nil when the body is not such a JSON object.
    init?(_ arrival: NotifyBenchmarkRecorder.Arrival) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(arrival.body))) as? [String: Any],
              let groupKey = object["groupKey"] as? String, let alerts = object["alerts"] as? [[String: Any]] else { return nil }
        sequence = arrival.sequence
        receivedAt = arrival.receivedAt
        idempotencyKey = arrival.idempotencyKey
        self.groupKey = groupKey
        status = object["status"] as? String ?? ""
        version = object["version"] as? String ?? ""
        self.alerts = alerts.map { Alert(fingerprint: $0["fingerprint"] as? String ?? "", status: $0["status"] as? String ?? "") }
    }

    /// Every arrival read; the ones that are not webhook bodies are counted apart.
    static func parse(_ arrivals: [NotifyBenchmarkRecorder.Arrival]) -> (payloads: [NotifyBenchmarkPayload], unreadable: Int) {
        let payloads = arrivals.compactMap(NotifyBenchmarkPayload.init)
        return (payloads, arrivals.count - payloads.count)
    }
}
