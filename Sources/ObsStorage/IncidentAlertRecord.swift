import ObsCore

/// An alert that joined an incident, and whether it fires now.
public struct IncidentAlertRecord: Sendable, Equatable {
    public var ruleGroup: String
    public var fingerprint: String
    public var labels: [String: String]
    public var firing: Bool
    /// When its current (or last) episode became active.
    public var activeAt: Timestamp
    public var joinedAt: Timestamp
    public var resolvedAt: Timestamp?

    public init(ruleGroup: String, fingerprint: String, labels: [String: String], firing: Bool, activeAt: Timestamp,
                joinedAt: Timestamp, resolvedAt: Timestamp? = nil) {
        self.ruleGroup = ruleGroup
        self.fingerprint = fingerprint
        self.labels = labels
        self.firing = firing
        self.activeAt = activeAt
        self.joinedAt = joinedAt
        self.resolvedAt = resolvedAt
    }

    public var alertname: String { labels[AlertFingerprint.alertnameLabel] ?? "" }
}
