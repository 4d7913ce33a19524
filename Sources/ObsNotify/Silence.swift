import ObsCore

/// Mutes notifications for matching alerts during [startsAt, endsAt).
public struct Silence: Sendable, Equatable {
    public var id: String
    public var matchers: [LabelMatcher]
    public var startsAt: Timestamp
    public var endsAt: Timestamp
    public var comment: String
    public var author: String
    public var createdAt: Timestamp

    /// Takes the fields as they are, e.g. when loading stored silences; new silences should come
    /// from `validated(…)`.
    public init(id: String, matchers: [LabelMatcher], startsAt: Timestamp, endsAt: Timestamp,
                comment: String, author: String, createdAt: Timestamp) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.comment = comment
        self.author = author
        self.createdAt = createdAt
    }

    /// A silence Alertmanager would accept: an id, at least one matcher, at least one matcher
    /// that does not match the empty string (otherwise it would match alerts lacking every
    /// named label, i.e. practically all of them) and an end after the start. The comment may be
    /// empty.
    public static func validated(id: String, matchers: [LabelMatcher], startsAt: Timestamp, endsAt: Timestamp,
                                 comment: String = "", author: String, createdAt: Timestamp) throws(SilenceError) -> Silence {
        guard !id.isEmpty else { throw .missingID }
        guard !matchers.isEmpty else { throw .noMatchers }
        guard matchers.contains(where: { !$0.matchesEmpty }) else {
            throw .matchesEveryAlert(matchers: matchers.setString)
        }
        guard endsAt > startsAt else { throw .endsNotAfterStart(startsAt: startsAt, endsAt: endsAt) }
        return Silence(id: id, matchers: matchers, startsAt: startsAt, endsAt: endsAt,
                       comment: comment, author: author, createdAt: createdAt)
    }

    /// Alertmanager's rule: pending before `startsAt`, active until `endsAt`, expired from
    /// `endsAt` — so a silence that ends now no longer mutes.
    public func state(at now: Timestamp) -> SilenceState {
        if now < startsAt { return .pending }
        if now < endsAt { return .active }
        return .expired
    }

    /// Whether the matchers match, regardless of time.
    public func matches(_ labels: [String: String]) -> Bool {
        matchers.matches(labels)
    }
}
