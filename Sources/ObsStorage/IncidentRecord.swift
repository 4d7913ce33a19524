import ObsCore

/// An incident as the store keeps it: one paging alert group's impact, from the alert that
/// opened it to its resolution, with the alerts that joined it. Its timeline is kept apart
/// (`IncidentEventRecord`), appended to, never rewritten.
public struct IncidentRecord: Sendable, Equatable {
    /// 0 until the store assigned one.
    public var id: Int64
    /// The incident's group, as `group_by` labels name it (`service="checkout"`).
    public var groupKey: String
    public var groupLabels: [String: String]
    public var service: String
    /// The first alert's name and group, e.g. `HighErrorRate (service="checkout")`.
    public var title: String
    /// `open`, `acknowledged` or `resolved`.
    public var state: String
    public var openedAt: Timestamp
    /// Impact onset: when the first alert's condition started to hold.
    public var startedAt: Timestamp
    /// When the first alert fired.
    public var detectedAt: Timestamp
    public var acknowledgedAt: Timestamp?
    public var acknowledgedBy: String?
    /// The first delivery of a notification that carried one of its alerts.
    public var firstNotifiedAt: Timestamp?
    /// When its last firing alert resolved; nil while one fires.
    public var mitigatedAt: Timestamp?
    /// When it resolves by itself unless an alert fires again before.
    public var resolveDueAt: Timestamp?
    public var resolvedAt: Timestamp?
    public var resolvedBy: String?
    public var alerts: [IncidentAlertRecord]

    public init(id: Int64 = 0, groupKey: String, groupLabels: [String: String], service: String, title: String, state: String,
                openedAt: Timestamp, startedAt: Timestamp, detectedAt: Timestamp, acknowledgedAt: Timestamp? = nil,
                acknowledgedBy: String? = nil, firstNotifiedAt: Timestamp? = nil, mitigatedAt: Timestamp? = nil,
                resolveDueAt: Timestamp? = nil, resolvedAt: Timestamp? = nil, resolvedBy: String? = nil,
                alerts: [IncidentAlertRecord] = []) {
        self.id = id
        self.groupKey = groupKey
        self.groupLabels = groupLabels
        self.service = service
        self.title = title
        self.state = state
        self.openedAt = openedAt
        self.startedAt = startedAt
        self.detectedAt = detectedAt
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
        self.firstNotifiedAt = firstNotifiedAt
        self.mitigatedAt = mitigatedAt
        self.resolveDueAt = resolveDueAt
        self.resolvedAt = resolvedAt
        self.resolvedBy = resolvedBy
        self.alerts = alerts
    }
}
