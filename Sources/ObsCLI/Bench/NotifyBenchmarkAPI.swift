import Foundation
import ObsCore

/// What `obs bench notify` reads back from the daemon under test, over its HTTP API: the
/// firing transitions (`/api/v1/alerts/history`), the outbox (`/api/v1/notifications`), the
/// active alerts, and a rule group's last evaluation (`/api/v1/rules`).
struct NotifyBenchmarkAPI: Sendable {
    struct Transition: Sendable {
        var fingerprint: String
        var labels: [String: String]
        /// The evaluation instant that made the transition.
        var time: Timestamp
    }

    /// One outbox entry.
    struct Notification: Sendable {
        var id: Int64
        var idempotencyKey: String
        /// When the notification was composed.
        var time: Timestamp
        var groupKey: String
        var status: String
        var notificationStatus: String
        var firing: Int
        var resolved: Int
        var attempts: Int
        var finished: Timestamp?
        var lastError: String?
    }

    struct GroupEvaluation: Sendable {
        var lastEvaluation: Timestamp?
        var seconds: Double
        var unhealthy: [String]
    }

    let port: Int

    private func get(_ pathAndQuery: String) async throws(CLIError) -> [String: Any] {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(pathAndQuery)") else { throw CLIError("bad URL \(pathAndQuery)") }
        let body = try await HTTPGet.body(url, token: nil)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            throw CLIError("GET \(pathAndQuery): the answer is not a JSON object")
        }
        return object
    }

    /// Every transition to `state` (`firing`, `resolved`; at most 100,000), oldest first.
    func transitions(to state: String) async throws(CLIError) -> [Transition] {
        let object = try await get("/api/v1/alerts/history?state=\(state)&limit=100000")
        guard let data = object["data"] as? [String: Any], let transitions = data["transitions"] as? [[String: Any]] else {
            throw CLIError("GET /api/v1/alerts/history: no data.transitions in the answer")
        }
        return transitions.compactMap { item in
            guard let fingerprint = item["fingerprint"] as? String, let text = item["time"] as? String,
                  case .success(let time) = Timestamp.parse(text) else { return nil }
            return Transition(fingerprint: fingerprint, labels: item["labels"] as? [String: String] ?? [:], time: time)
        }
    }

    /// The whole outbox (at most 100,000 entries), oldest first.
    func notifications() async throws(CLIError) -> [Notification] {
        let object = try await get("/api/v1/notifications?limit=100000")
        guard let list = object["notifications"] as? [[String: Any]] else {
            throw CLIError("GET /api/v1/notifications: no notifications in the answer")
        }
        let entries = list.compactMap { item -> Notification? in
            guard let id = (item["id"] as? NSNumber)?.int64Value, let key = item["idempotency_key"] as? String,
                  let text = item["time"] as? String, case .success(let time) = Timestamp.parse(text) else { return nil }
            var finished: Timestamp?
            if let text = item["finished"] as? String, case .success(let time) = Timestamp.parse(text) { finished = time }
            return Notification(
                id: id, idempotencyKey: key, time: time, groupKey: item["group_key"] as? String ?? "",
                status: item["status"] as? String ?? "", notificationStatus: item["notification_status"] as? String ?? "",
                firing: item["firing"] as? Int ?? 0, resolved: item["resolved"] as? Int ?? 0, attempts: item["attempts"] as? Int ?? 0,
                finished: finished, lastError: item["last_error"] as? String
            )
        }
        guard entries.count == list.count else { throw CLIError("GET /api/v1/notifications: \(list.count - entries.count) entries without id, key or time") }
        return entries.sorted { $0.id < $1.id }
    }

    /// Pending and firing alerts now.
    func activeAlertCount() async throws(CLIError) -> Int {
        let object = try await get("/api/v1/alerts")
        guard let data = object["data"] as? [String: Any], let alerts = data["alerts"] as? [Any] else {
            throw CLIError("GET /api/v1/alerts: no data.alerts in the answer")
        }
        return alerts.count
    }

    /// The group's last evaluation and how long it took, and its rules in error. `withRules`
    /// false leaves the rules (and their alerts) out of the answer, so that polling it during a
    /// measurement does not make the daemon serialise thousands of alerts each time.
    func evaluation(ofGroup name: String, withRules: Bool = false) async throws(CLIError) -> GroupEvaluation {
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? name
        let object = try await get("/api/v1/rules?rule_group=\(encoded)" + (withRules ? "" : "&alertname=no-rule-has-this-name"))
        guard let data = object["data"] as? [String: Any], let groups = data["groups"] as? [[String: Any]],
              let group = groups.first(where: { $0["name"] as? String == name }) else {
            throw CLIError("GET /api/v1/rules: no group \(name)")
        }
        var last: Timestamp?
        if let text = group["lastEvaluation"] as? String, case .success(let time) = Timestamp.parse(text), time.nanoseconds > 0 { last = time }
        let unhealthy = (group["rules"] as? [[String: Any]] ?? []).compactMap { rule -> String? in
            guard rule["health"] as? String == "err" else { return nil }
            return "\(rule["name"] as? String ?? "?"): \(rule["lastError"] as? String ?? "")"
        }
        return GroupEvaluation(lastEvaluation: last, seconds: (group["evaluationTime"] as? NSNumber)?.doubleValue ?? 0, unhealthy: unhealthy)
    }
}
