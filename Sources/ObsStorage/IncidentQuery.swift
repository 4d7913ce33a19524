import ObsCore

/// Which incidents a list shows: newest opened first.
public struct IncidentQuery: Sendable, Equatable {
    public static let maximumLimit = 10_000
    public var state: String?
    public var service: String?
    /// Opened at or after.
    public var since: Timestamp?
    public var until: Timestamp?
    public var limit: Int

    public init(state: String? = nil, service: String? = nil, since: Timestamp? = nil, until: Timestamp? = nil, limit: Int = 100) {
        self.state = state
        self.service = service
        self.since = since
        self.until = until
        self.limit = limit
    }
}
