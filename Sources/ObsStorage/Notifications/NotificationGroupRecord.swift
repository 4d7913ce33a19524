import ObsCore

/// One alert group of one receiver as the notifier keeps it: the alerts routed to it, when
/// it is next looked at (`dueAt`: its `group_wait`, then every `group_interval`), and which
/// firing alerts its last notification announced.
public struct NotificationGroupRecord: Sendable, Equatable {
    public var id: Int64
    public var receiver: String
    public var groupKey: String
    public var routeID: String
    public var groupLabels: [String: String]
    public var createdAt: Timestamp
    public var dueAt: Timestamp
    public var lastFlushAt: Timestamp?
    /// Fingerprints of the firing alerts the last notification carried.
    public var notifiedFiring: Set<String>
    /// How many times the group was flushed: part of each notification's identity.
    public var flushes: Int
    public var alerts: [NotificationGroupAlert]

    public init(id: Int64, receiver: String, groupKey: String, routeID: String, groupLabels: [String: String],
                createdAt: Timestamp, dueAt: Timestamp, lastFlushAt: Timestamp?, notifiedFiring: Set<String>, flushes: Int,
                alerts: [NotificationGroupAlert]) {
        self.id = id
        self.receiver = receiver
        self.groupKey = groupKey
        self.routeID = routeID
        self.groupLabels = groupLabels
        self.createdAt = createdAt
        self.dueAt = dueAt
        self.lastFlushAt = lastFlushAt
        self.notifiedFiring = notifiedFiring
        self.flushes = flushes
        self.alerts = alerts
    }
}

/// An alert in a notification group: firing, or resolved and not yet announced as such.
public struct NotificationGroupAlert: Sendable, Equatable {
    public var fingerprint: String
    public var ruleGroup: String
    public var labels: [String: String]
    public var annotations: [String: String]
    public var firing: Bool
    public var startsAt: Timestamp
    /// The resolve time; nil while firing.
    public var endsAt: Timestamp?
    public var value: Double?

    public init(fingerprint: String, ruleGroup: String, labels: [String: String], annotations: [String: String], firing: Bool,
                startsAt: Timestamp, endsAt: Timestamp? = nil, value: Double? = nil) {
        self.fingerprint = fingerprint
        self.ruleGroup = ruleGroup
        self.labels = labels
        self.annotations = annotations
        self.firing = firing
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.value = value
    }
}

/// Where a transition goes: which receiver's group, created with which labels and first due
/// when, if it does not exist yet.
public struct NotificationGroupAddress: Sendable, Hashable {
    public var receiver: String
    public var groupKey: String
    public var routeID: String
    public var groupLabels: [String: String]

    public init(receiver: String, groupKey: String, routeID: String, groupLabels: [String: String]) {
        self.receiver = receiver
        self.groupKey = groupKey
        self.routeID = routeID
        self.groupLabels = groupLabels
    }
}

/// What one look at a due group decided: the notification to send (if any), the alerts that
/// leave the group (resolved ones now announced or never announced), the firing set now
/// announced, and when to look again (nil: the group is empty and goes away).
public struct NotificationGroupFlush: Sendable {
    public var groupID: Int64
    public var notification: NewOutboxEntry?
    public var removedFingerprints: [String]
    public var notifiedFiring: Set<String>
    public var flushed: Bool
    public var nextDueAt: Timestamp?

    public init(groupID: Int64, notification: NewOutboxEntry?, removedFingerprints: [String], notifiedFiring: Set<String>,
                flushed: Bool, nextDueAt: Timestamp?) {
        self.groupID = groupID
        self.notification = notification
        self.removedFingerprints = removedFingerprints
        self.notifiedFiring = notifiedFiring
        self.flushed = flushed
        self.nextDueAt = nextDueAt
    }
}
