import ObsCore

/// Alertmanager's webhook body, version 4, key for key as Alertmanager 0.25 sends it, so any
/// receiver written for Alertmanager (and its templates' field names) works against obs.
/// After Alertmanager's keys comes an `obs` object for what Alertmanager has no field for:
/// receivers ignore unknown keys.
public struct AlertmanagerWebhookRenderer: PayloadRenderer {
    public init() {}

    public func render(_ message: NotificationMessage, options: PayloadOptions) -> RenderedPayload {
        var json = JSONWriter(capacity: 1024 + 512 * message.alerts.count)
        json.beginObject()
        json.key("receiver"); json.string(message.receiver)
        json.key("status"); json.string(message.status.rawValue)
        json.key("alerts")
        json.beginArray()
        for alert in message.alerts {
            json.beginObject()
            json.key("status"); json.string(alert.status.rawValue)
            json.key("labels"); json.stringMap(alert.labels)
            json.key("annotations"); json.stringMap(alert.annotations)
            json.key("startsAt"); json.string(AlertmanagerTime.format(alert.startsAt))
            // Alertmanager writes Go's zero time for an alert that has not ended, whatever
            // end estimate it holds internally; receivers test for it.
            json.key("endsAt"); json.string(AlertmanagerTime.format(alert.status == .resolved ? alert.endsAt : nil))
            json.key("generatorURL"); json.string(alert.generatorURL(externalURL: message.externalURL))
            json.key("fingerprint"); json.string(alert.fingerprint)
            json.endObject()
        }
        json.endArray()
        json.key("groupLabels"); json.stringMap(message.groupLabels)
        json.key("commonLabels"); json.stringMap(CommonLabels.of(message.alerts.map(\.labels)))
        json.key("commonAnnotations"); json.stringMap(CommonLabels.of(message.alerts.map(\.annotations)))
        json.key("externalURL"); json.string(message.externalURL)
        json.key("version"); json.string("4")
        json.key("groupKey"); json.string(message.groupKey)
        json.key("truncatedAlerts"); json.int(message.truncatedAlerts)
        json.key("obs")
        json.beginObject()
        json.key("values")
        json.beginObject()
        // A fingerprint twice in one group would make a duplicate key, which parsers resolve
        // differently; the first one wins here.
        var written = Set<String>()
        for alert in message.alerts where written.insert(alert.fingerprint).inserted {
            json.key(alert.fingerprint)
            json.number(alert.value)
        }
        json.endObject()
        json.endObject()
        json.endObject()
        return RenderedPayload(body: json.bytes)
    }
}
