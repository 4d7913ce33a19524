import ObsCore

/// What Prometheus POSTs to Alertmanager's `/api/v2/alerts`, so obs can feed an existing
/// Alertmanager that does the routing, silencing and inhibition.
///
/// Alertmanager resolves an alert by itself once its `endsAt` passes, so a firing alert's
/// `endsAt` is set a resend horizon ahead, as Prometheus does, and every push renews it.
public struct AlertmanagerAPIRenderer: PayloadRenderer {
    public static let path = "/api/v2/alerts"

    public init() {}

    public func render(_ message: NotificationMessage, options: PayloadOptions) -> RenderedPayload {
        let firingEnd = message.renderedAt.adding(nanoseconds: Self.saturatingNanoseconds(options.alertmanagerAPIResendHorizon))
        var json = JSONWriter(capacity: 256 + 384 * message.alerts.count)
        json.beginArray()
        for alert in message.alerts {
            json.beginObject()
            json.key("labels"); json.stringMap(alert.labels)
            json.key("annotations"); json.stringMap(alert.annotations)
            json.key("startsAt"); json.string(AlertmanagerTime.format(alert.startsAt))
            // A resolved alert without a recorded end is resolved as of now: an end in the
            // past is what tells Alertmanager to resolve it.
            let end = alert.status == .firing ? firingEnd : (alert.endsAt ?? message.renderedAt)
            json.key("endsAt"); json.string(AlertmanagerTime.format(end))
            json.key("generatorURL"); json.string(alert.generatorURL(externalURL: message.externalURL))
            json.endObject()
        }
        json.endArray()
        return RenderedPayload(body: json.bytes, path: Self.path)
    }

    /// A horizon is configuration: an absurd one must clamp, not trap on overflow.
    static func saturatingNanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds > 0 ? .max : .min }
        let (sum, overflowAgain) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflowAgain { return seconds > 0 ? .max : .min }
        return sum
    }
}
