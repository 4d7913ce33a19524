import ObsCore

/// One alert as a notification carries it.
public struct NotificationAlert: Sendable, Equatable {
    /// 16 hex digits.
    public var fingerprint: String
    /// The rule group the alert's rule belongs to.
    public var ruleGroup: String
    /// Includes "alertname".
    public var labels: [String: String]
    public var annotations: [String: String]
    public var status: NotificationStatus
    /// When the alert became active.
    public var startsAt: Timestamp
    /// The resolve time; nil while firing.
    public var endsAt: Timestamp?
    /// The expression's value at the transition (the resolving value for a resolved one).
    public var value: Double?

    public init(fingerprint: String, ruleGroup: String, labels: [String: String], annotations: [String: String] = [:],
                status: NotificationStatus, startsAt: Timestamp, endsAt: Timestamp? = nil, value: Double? = nil) {
        self.fingerprint = fingerprint
        self.ruleGroup = ruleGroup
        self.labels = labels
        self.annotations = annotations
        self.status = status
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.value = value
    }

    public var alertname: String { labels["alertname"] ?? "" }
}
