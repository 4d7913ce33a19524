import ObsCore

/// One notification of one alert group to one receiver.
public struct NotificationMessage: Sendable, Equatable {
    public var receiver: String
    /// Alertmanager's form: `{}:{alertname="X", service="checkout"}`.
    public var groupKey: String
    public var groupLabels: [String: String]
    /// Firing and resolved ones.
    public var alerts: [NotificationAlert]
    /// obs's own base URL, e.g. `http://127.0.0.1:4318` (no trailing slash).
    public var externalURL: String
    /// When the message was composed.
    public var renderedAt: Timestamp
    public var truncatedAlerts: Int

    public init(receiver: String, groupKey: String, groupLabels: [String: String], alerts: [NotificationAlert],
                externalURL: String, renderedAt: Timestamp, truncatedAlerts: Int = 0) {
        self.receiver = receiver
        self.groupKey = groupKey
        self.groupLabels = groupLabels
        self.alerts = alerts
        self.externalURL = externalURL
        self.renderedAt = renderedAt
        self.truncatedAlerts = truncatedAlerts
    }

    public var status: NotificationStatus { alerts.contains { $0.status == .firing } ? .firing : .resolved }
}
