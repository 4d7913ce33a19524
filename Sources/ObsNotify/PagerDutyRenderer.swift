import Crypto
import ObsCore

/// A PagerDuty Events API v2 event for the whole group: one PagerDuty alert per obs alert
/// group, opened while any of its alerts fires and resolved when none does.
public struct PagerDutyRenderer: PayloadRenderer {
    public static let maxSummary = 1024
    /// PagerDuty refuses events over 512 KB; each alert list is held well under that.
    public static let maxDetailsText = 65_536

    public init() {}

    public func render(_ message: NotificationMessage, options: PayloadOptions) -> RenderedPayload {
        var json = JSONWriter(capacity: 2048)
        json.beginObject()
        json.key("routing_key"); json.string(options.pagerDutyRoutingKey ?? "")
        json.key("event_action"); json.string(message.status == .firing ? "trigger" : "resolve")
        json.key("dedup_key"); json.string(Self.dedupKey(groupKey: message.groupKey))
        // A resolve needs only the key of what it resolves; PagerDuty ignores anything else.
        if message.status == .firing { writeTriggerFields(message, into: &json) }
        json.endObject()
        return RenderedPayload(body: json.bytes)
    }

    /// The group key can be any length and PagerDuty allows 255 characters; a hash is short,
    /// and the same for every notification of the group, so retries and updates of a group
    /// land on one PagerDuty alert and its resolve closes it.
    public static func dedupKey(groupKey: String) -> String {
        let digest = SHA256.hash(data: Array(groupKey.utf8))
        return String(Hex.lowercase(digest).prefix(32))
    }

    private func writeTriggerFields(_ message: NotificationMessage, into json: inout JSONWriter) {
        let firing = message.alerts.filter { $0.status == .firing }
        let resolved = message.alerts.filter { $0.status == .resolved }
        let service = message.groupLabels["service"] ?? CommonLabels.of(message.alerts.map(\.labels))["service"]

        var summary = NotificationTitle.of(message)
        if let first = firing.first?.annotations["summary"], !first.isEmpty { summary += ": " + first }

        json.key("payload")
        json.beginObject()
        json.key("summary"); json.string(TextLimit.truncate(summary, to: Self.maxSummary))
        json.key("source"); json.string(service ?? "obs")
        json.key("severity"); json.string(Self.severity(of: firing))
        json.key("timestamp"); json.string(AlertmanagerTime.format(firing.map(\.startsAt).min() ?? message.renderedAt))
        if let service { json.key("component"); json.string(service) }
        json.key("group"); json.string(Self.distinct(firing.map(\.ruleGroup)))
        json.key("class"); json.string(message.groupLabels["alertname"] ?? Self.distinct(firing.map(\.alertname)))
        json.key("custom_details")
        json.beginObject()
        json.key("firing"); json.string(details(firing, externalURL: message.externalURL))
        json.key("resolved"); json.string(details(resolved, externalURL: message.externalURL))
        json.key("num_firing"); json.int(firing.count)
        json.key("num_resolved"); json.int(resolved.count)
        json.endObject()
        json.endObject()

        json.key("links")
        json.beginArray()
        // Alerts of one rule share a link; one entry per rule keeps the incident page readable.
        var seen = Set<String>()
        for url in firing.map({ $0.generatorURL(externalURL: message.externalURL) }) where seen.insert(url).inserted {
            json.beginObject()
            json.key("href"); json.string(url)
            json.key("text"); json.string("obs rule")
            json.endObject()
        }
        json.endArray()
        json.key("client"); json.string("obs")
        json.key("client_url"); json.string(message.externalURL)
    }

    /// The most severe of the firing alerts' `severity` labels, in PagerDuty's four levels.
    static func severity(of alerts: [NotificationAlert]) -> String {
        let levels = ["info", "warning", "error", "critical"]
        let rank = alerts.map { alert -> Int in
            switch alert.labels["severity"]?.lowercased() {
            case "critical", "page": 3
            case "error": 2
            case "warning", "ticket": 1
            default: 0
            }
        }.max() ?? 0
        return levels[rank]
    }

    /// One paragraph per alert, as Alertmanager's PagerDuty integration lists them.
    private func details(_ alerts: [NotificationAlert], externalURL: String) -> String {
        let text = alerts.map { alert in
            var lines = [alert.alertname + " " + alert.labels
                .filter { $0.key != "alertname" }
                .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                .map { "\($0.key)=\($0.value)" }
                .joined(separator: " ")]
            for (name, value) in alert.annotations.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                lines.append("  \(name): \(value)")
            }
            if let value = ValueText.of(alert.value) { lines.append("  value: \(value)") }
            lines.append("  rule: " + alert.generatorURL(externalURL: externalURL))
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
        return TextLimit.truncate(text, to: Self.maxDetailsText)
    }

    private static func distinct(_ names: [String]) -> String {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }.joined(separator: ", ")
    }
}
