/// One step of an alert's lifecycle, as the alert history keeps it: the state it entered, at
/// which evaluation time, with the value of the expression then — for a resolution, the value
/// that resolved it, not the last firing one.
public struct AlertTransition: Sendable, Equatable {
    public var group: String
    public var fingerprint: String
    public var labels: [String: String]
    public var annotations: [String: String]
    public var state: AlertState
    public var time: Timestamp
    /// nil when the expression had no value for the series at that evaluation.
    public var value: Double?
    /// When the episode this transition belongs to started (the alert's `activeAt`).
    public var activeAt: Timestamp

    public init(group: String, fingerprint: String, labels: [String: String], annotations: [String: String], state: AlertState,
                time: Timestamp, value: Double?, activeAt: Timestamp) {
        self.group = group
        self.fingerprint = fingerprint
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.time = time
        self.value = value
        self.activeAt = activeAt
    }

    public var alertname: String { labels[AlertFingerprint.alertnameLabel] ?? "" }
}
