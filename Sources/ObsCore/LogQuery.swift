/// What a reader of stored logs asks for; every field narrows the result.
public struct LogQuery: Sendable, Equatable {
    public static let defaultLimit = 100
    public static let maximumLimit = 100_000

    public var service: String?
    /// Records at this severity or above.
    public var minimumSeverity: Severity?
    /// Full-text terms; every term must occur in the message.
    public var text: String?
    public var traceID: String?
    /// Inclusive lower bound.
    public var since: Timestamp?
    /// Exclusive upper bound.
    public var until: Timestamp?
    public var limit: Int

    public init(
        service: String? = nil, minimumSeverity: Severity? = nil, text: String? = nil, traceID: String? = nil,
        since: Timestamp? = nil, until: Timestamp? = nil, limit: Int = LogQuery.defaultLimit
    ) {
        self.service = service
        self.minimumSeverity = minimumSeverity
        self.text = text
        self.traceID = traceID
        self.since = since
        self.until = until
        self.limit = limit
    }
}
