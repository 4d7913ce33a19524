import ObsCore

/// Why an alert is kept from its receivers: the silences that match it now, and whether an
/// inhibit rule mutes it. The alerts API shows such a firing alert as `suppressed`.
public struct AlertSuppression: Sendable, Equatable {
    public var silencedBy: [String]
    public var inhibited: Bool

    public var isSuppressed: Bool { !silencedBy.isEmpty || inhibited }

    /// For each alert (by fingerprint) that some silence or inhibit rule mutes at `now`; the
    /// firing ones among `alerts` are the inhibition sources.
    public static func of(_ alerts: [Alert], silences: [Silence], inhibitor: Inhibitor?, at now: Timestamp) -> [String: AlertSuppression] {
        let active = silences.filter { $0.state(at: now) == .active }
        let sources = inhibitor?.sources(firing: alerts.filter { $0.state == .firing }.map(\.labels))
        var result: [String: AlertSuppression] = [:]
        for alert in alerts {
            let silencedBy = active.filter { $0.matches(alert.labels) }.map(\.id)
            let inhibited = sources?.isInhibited(alert.labels) ?? false
            if !silencedBy.isEmpty || inhibited {
                result[alert.fingerprint] = AlertSuppression(silencedBy: silencedBy, inhibited: inhibited)
            }
        }
        return result
    }
}
