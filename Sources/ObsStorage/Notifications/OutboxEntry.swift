import ObsCore

/// Where a notification is on its way to its receiver. `pending` and `retrying` are open;
/// `delivered` and `dead` are final.
public enum DeliveryStatus: String, Sendable, CaseIterable {
    case pending
    case retrying
    case delivered
    case dead

    public var isOpen: Bool { self == .pending || self == .retrying }
}

/// A composed notification about to enter the outbox: its body is final, so every retry
/// sends the same bytes under the same idempotency key.
public struct NewOutboxEntry: Sendable, Equatable {
    public var idempotencyKey: String
    public var receiver: String
    public var groupKey: String
    /// `firing` or `resolved`: the notification's own status.
    public var notificationStatus: String
    public var fingerprints: [String]
    public var firingCount: Int
    public var resolvedCount: Int
    public var contentType: String
    /// Appended to the receiver's URL (`/api/v2/alerts` for an Alertmanager).
    public var urlPath: String?
    public var body: [UInt8]

    public init(idempotencyKey: String, receiver: String, groupKey: String, notificationStatus: String, fingerprints: [String],
                firingCount: Int, resolvedCount: Int, contentType: String, urlPath: String?, body: [UInt8]) {
        self.idempotencyKey = idempotencyKey
        self.receiver = receiver
        self.groupKey = groupKey
        self.notificationStatus = notificationStatus
        self.fingerprints = fingerprints
        self.firingCount = firingCount
        self.resolvedCount = resolvedCount
        self.contentType = contentType
        self.urlPath = urlPath
        self.body = body
    }
}

/// A notification in the outbox with its delivery record.
public struct OutboxEntry: Sendable, Equatable {
    public var id: Int64
    public var notification: NewOutboxEntry
    public var status: DeliveryStatus
    public var createdAt: Timestamp
    public var nextAttemptAt: Timestamp
    public var attempts: Int
    public var lastAttemptAt: Timestamp?
    /// When it was delivered or given up.
    public var finishedAt: Timestamp?
    public var lastStatusCode: Int?
    public var lastError: String?

    public init(id: Int64, notification: NewOutboxEntry, status: DeliveryStatus, createdAt: Timestamp, nextAttemptAt: Timestamp,
                attempts: Int, lastAttemptAt: Timestamp?, finishedAt: Timestamp?, lastStatusCode: Int?, lastError: String?) {
        self.id = id
        self.notification = notification
        self.status = status
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.attempts = attempts
        self.lastAttemptAt = lastAttemptAt
        self.finishedAt = finishedAt
        self.lastStatusCode = lastStatusCode
        self.lastError = lastError
    }

    public var receiver: String { notification.receiver }
    public var idempotencyKey: String { notification.idempotencyKey }
}

/// How one delivery attempt ended, as the outbox records it.
public enum DeliveryAttemptOutcome: Sendable, Equatable {
    case delivered(statusCode: Int)
    /// A temporary failure: try again at `nextAttemptAt`.
    case retry(statusCode: Int?, error: String, nextAttemptAt: Timestamp)
    /// A permanent failure (a 4xx answer, or `max_delivery_time` passed): kept as dead.
    case dead(statusCode: Int?, error: String)
}

/// Which outbox entries to list, newest first.
public struct OutboxQuery: Sendable, Equatable {
    public static let defaultLimit = 100
    public static let maximumLimit = 100_000

    public var since: Timestamp?
    public var until: Timestamp?
    public var status: DeliveryStatus?
    public var receiver: String?
    public var limit: Int

    public init(since: Timestamp? = nil, until: Timestamp? = nil, status: DeliveryStatus? = nil, receiver: String? = nil,
                limit: Int = OutboxQuery.defaultLimit) {
        self.since = since
        self.until = until
        self.status = status
        self.receiver = receiver
        self.limit = limit
    }
}
