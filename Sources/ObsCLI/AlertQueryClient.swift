import Foundation
import ObsCore
import ObsServer
import ObsStorage

/// `obs query alerts [--history]` and `obs query rules`: the daemon's `/api/v1/alerts`,
/// `/api/v1/alerts/history` and `/api/v1/rules`, or — for alerts and their history — the
/// SQLite file itself (`--db`: the state as last stored; live values need the daemon).
public enum AlertQueryClient {
    public static func alerts(from source: LogSource) async throws(CLIError) -> [UInt8] {
        switch source {
        case .database(let path):
            return try await withStore(path) { store throws(StorageError) in AlertsJSON.alerts(try await store.activeAlerts()).bytes }
        case .api(let base, let token):
            return try await HTTPGet.body(try APIURL.make(base, path: "api/v1/alerts", []), token: token)
        }
    }

    public static func history(_ query: AlertHistoryQuery, from source: LogSource) async throws(CLIError) -> [UInt8] {
        switch source {
        case .database(let path):
            return try await withStore(path) { store throws(StorageError) in AlertsJSON.history(try await store.transitions(matching: query)).bytes }
        case .api(let base, let token):
            var items = [URLQueryItem(name: "limit", value: String(query.limit))]
            if let since = query.since { items.append(.init(name: "since", value: since.rfc3339)) }
            if let until = query.until { items.append(.init(name: "until", value: until.rfc3339)) }
            if let alertname = query.alertname { items.append(.init(name: "alertname", value: alertname)) }
            if let state = query.state { items.append(.init(name: "state", value: state.rawValue)) }
            return try await HTTPGet.body(try APIURL.make(base, path: "api/v1/alerts/history", items), token: token)
        }
    }

    public static func rules(from source: LogSource) async throws(CLIError) -> [UInt8] {
        switch source {
        case .database:
            throw CLIError("rules and their health live in the daemon: ask it with --url (or check the files with obs rules check)")
        case .api(let base, let token):
            return try await HTTPGet.body(try APIURL.make(base, path: "api/v1/rules", []), token: token)
        }
    }

    private static func withStore(_ path: String, _ read: (SQLiteAlertStore) async throws(StorageError) -> [UInt8]) async throws(CLIError) -> [UInt8] {
        let database = try ReadOnlyStore.open(path)
        defer { try? database.close() }
        do {
            return try await read(SQLiteAlertStore(database: database))
        } catch {
            throw CLIError("\(error)")
        }
    }

    // MARK: - Tables

    public static func data(_ body: [UInt8], _ key: String) throws(CLIError) -> [[String: Any]] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let data = object["data"] as? [String: Any], let items = data[key] as? [[String: Any]] else {
            throw CLIError("the answer is not the expected JSON (no data.\(key))")
        }
        return items
    }

    /// `{service="checkout", severity="page"}` without `alertname`.
    static func labelText(_ value: Any?) -> String {
        let labels = (value as? [String: String] ?? [:]).filter { $0.key != AlertFingerprint.alertnameLabel }
        return "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ", ") + "}"
    }

    static func shortTime(_ text: Any?) -> String {
        guard let text = text as? String, text != "0001-01-01T00:00:00Z" else { return "-" }
        guard let dot = text.firstIndex(of: ".") else { return text }
        return String(text[..<dot]) + "Z"
    }

    /// One line per active alert: state, name, labels, since when, value, summary.
    public static func alertsTable(_ body: [UInt8]) throws(CLIError) -> String {
        let alerts = try data(body, "alerts")
        guard !alerts.isEmpty else { return "no active alerts\n" }
        var rows = [["STATE", "ALERT", "LABELS", "ACTIVE SINCE", "VALUE", "SUMMARY"]]
        for alert in alerts {
            let labels = alert["labels"] as? [String: String] ?? [:]
            let annotations = alert["annotations"] as? [String: String] ?? [:]
            rows.append([
                alert["state"] as? String ?? "", labels[AlertFingerprint.alertnameLabel] ?? "", labelText(labels),
                shortTime(alert["activeAt"]), alert["value"] as? String ?? "", annotations["summary"] ?? "",
            ])
        }
        return QueryResultPrinter.aligned(rows)
    }

    /// The transitions, oldest first.
    public static func historyTable(_ body: [UInt8]) throws(CLIError) -> String {
        let transitions = try data(body, "transitions")
        guard !transitions.isEmpty else { return "no alert transitions in the window\n" }
        var rows = [["TIME", "STATE", "ALERT", "LABELS", "VALUE"]]
        for transition in transitions {
            let value = (transition["value"] as? Double).map(QueryResultPrinter.number) ?? "-"
            rows.append([shortTime(transition["time"]), transition["state"] as? String ?? "", transition["alertname"] as? String ?? "",
                         labelText(transition["labels"]), value])
        }
        return QueryResultPrinter.aligned(rows)
    }

    /// One line per rule: group, name, health, state, alerts, last evaluation and its time.
    public static func rulesTable(_ body: [UInt8]) throws(CLIError) -> String {
        let groups = try data(body, "groups")
        guard !groups.isEmpty else { return "no rules loaded\n" }
        var rows = [["GROUP", "RULE", "HEALTH", "STATE", "ALERTS", "LAST EVALUATION", "TOOK", "ERROR"]]
        for group in groups {
            for rule in group["rules"] as? [[String: Any]] ?? [] {
                let seconds = rule["evaluationTime"] as? Double ?? 0
                rows.append([
                    group["name"] as? String ?? "", rule["name"] as? String ?? "", rule["health"] as? String ?? "",
                    rule["state"] as? String ?? "", String((rule["alerts"] as? [Any])?.count ?? 0), shortTime(rule["lastEvaluation"]),
                    String(format: "%.1f ms", seconds * 1000), rule["lastError"] as? String ?? "",
                ])
            }
        }
        return QueryResultPrinter.aligned(rows)
    }
}
