import ObsCore

/// A silence as stored: its matchers in their canonical text form (`service="checkout"`),
/// parsed back by the notifier.
public struct SilenceRecord: Sendable, Equatable {
    public var id: String
    public var matchers: [String]
    public var startsAt: Timestamp
    public var endsAt: Timestamp
    public var comment: String
    public var author: String
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(id: String, matchers: [String], startsAt: Timestamp, endsAt: Timestamp, comment: String, author: String,
                createdAt: Timestamp, updatedAt: Timestamp) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.comment = comment
        self.author = author
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
