import ObsCore

/// One row of an incident's timeline: `started`, `detected`, `notified`, `acknowledged`,
/// `note`, `alert_joined`, `alert_resolved`, `mitigated` or `resolved`.
public struct IncidentEventRecord: Sendable, Equatable {
    public var time: Timestamp
    public var kind: String
    /// What reported it: an alert's name, a receiver, `api`, `cli`, `cooldown`.
    public var source: String
    public var detail: String
    /// Who did it, for acknowledgements, notes and manual resolutions.
    public var by: String?

    public init(time: Timestamp, kind: String, source: String, detail: String = "", by: String? = nil) {
        self.time = time
        self.kind = kind
        self.source = source
        self.detail = detail
        self.by = by
    }
}
