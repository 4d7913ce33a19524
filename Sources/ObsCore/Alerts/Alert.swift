/// One active alert: an output series of an alerting rule whose condition holds (pending) or
/// held long enough (firing). Identified within its rule group by its fingerprint.
public struct Alert: Sendable, Equatable {
    /// The rule group the alert's rule belongs to.
    public var group: String
    /// `alertname` and the series' and rule's labels.
    public var labels: [String: String]
    public var annotations: [String: String]
    public var state: AlertState
    /// When the condition started to hold (the evaluation that made it pending).
    public var activeAt: Timestamp
    public var firedAt: Timestamp?
    /// While `keep_firing_for` holds a firing alert whose condition ended: when it ended.
    public var keepFiringSince: Timestamp?
    /// The expression's value (a comparison's left side) at the last evaluation.
    public var value: Double?

    public init(group: String, labels: [String: String], annotations: [String: String] = [:], state: AlertState,
                activeAt: Timestamp, firedAt: Timestamp? = nil, keepFiringSince: Timestamp? = nil, value: Double? = nil) {
        self.group = group
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.activeAt = activeAt
        self.firedAt = firedAt
        self.keepFiringSince = keepFiringSince
        self.value = value
    }

    public var alertname: String { labels[AlertFingerprint.alertnameLabel] ?? "" }
    public var fingerprint: String { AlertFingerprint.of(labels) }
}
