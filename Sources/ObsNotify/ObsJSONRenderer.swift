import ObsCore

/// obs's own webhook body (`obs/1`): flat snake_case fields, full-nanosecond times, and the
/// alert values and rule groups that the Alertmanager shape has no place for.
public struct ObsJSONRenderer: PayloadRenderer {
    public static let version = "obs/1"

    public init() {}

    public func render(_ message: NotificationMessage, options: PayloadOptions) -> RenderedPayload {
        var json = JSONWriter(capacity: 1024 + 512 * message.alerts.count)
        json.beginObject()
        json.key("version"); json.string(Self.version)
        json.key("receiver"); json.string(message.receiver)
        json.key("status"); json.string(message.status.rawValue)
        json.key("group_key"); json.string(message.groupKey)
        json.key("group_labels"); json.stringMap(message.groupLabels)
        json.key("external_url"); json.string(message.externalURL)
        json.key("alerts")
        json.beginArray()
        for alert in message.alerts {
            json.beginObject()
            json.key("alertname"); json.string(alert.alertname)
            json.key("fingerprint"); json.string(alert.fingerprint)
            json.key("rule_group"); json.string(alert.ruleGroup)
            json.key("labels"); json.stringMap(alert.labels)
            json.key("annotations"); json.stringMap(alert.annotations)
            json.key("status"); json.string(alert.status.rawValue)
            json.key("starts_at"); json.string(alert.startsAt.rfc3339)
            json.key("ends_at"); json.string(alert.status == .resolved ? alert.endsAt?.rfc3339 : nil)
            json.key("value"); json.number(alert.value)
            json.key("generator_url"); json.string(alert.generatorURL(externalURL: message.externalURL))
            json.endObject()
        }
        json.endArray()
        json.key("truncated_alerts"); json.int(message.truncatedAlerts)
        json.endObject()
        return RenderedPayload(body: json.bytes)
    }
}
