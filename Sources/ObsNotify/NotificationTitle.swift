/// The one-line subject of a notification, in Alertmanager's default style
/// (`[FIRING:2] HighLatency checkout (page)`), so people see the titles they know.
enum NotificationTitle {
    static func of(_ message: NotificationMessage) -> String {
        var title = "[" + message.status.rawValue.uppercased()
        if message.status == .firing {
            title += ":\(message.alerts.count(where: { $0.status == .firing }))"
        }
        title += "]"
        let groupValues = sortedValues(message.groupLabels)
        if !groupValues.isEmpty { title += " " + groupValues.joined(separator: " ") }
        // Like Alertmanager, the labels all alerts share beyond the grouping ones, in parentheses.
        let extra = CommonLabels.of(message.alerts.map(\.labels)).filter { message.groupLabels[$0.key] == nil }
        if !extra.isEmpty { title += " (" + sortedValues(extra).joined(separator: " ") + ")" }
        return title
    }

    private static func sortedValues(_ labels: [String: String]) -> [String] {
        labels.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map(\.value)
    }
}
