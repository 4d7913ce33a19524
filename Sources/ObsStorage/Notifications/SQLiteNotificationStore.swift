import Foundation
import GRDB
import ObsCore

/// The notifier's tables in `obs.db`: alert groups per receiver, the outbox and silences.
/// Group changes are written inside the alert store's transaction (`route(_:in:)`), so an
/// alert transition and the notification work it causes commit together or not at all.
public struct SQLiteNotificationStore: Sendable {
    let database: ObsDatabase

    public init(database: ObsDatabase) {
        self.database = database
    }

    // MARK: - Inside the alert transaction

    /// Puts a firing alert into its group (creating the group, first due at `dueIfNew`) or
    /// marks a grouped alert resolved. A resolution of an alert the group never held (it was
    /// announced and removed, or never routed here) changes nothing.
    /// `keepingExisting`: an alert already in the group is left as it is.
    public func route(_ alert: NotificationGroupAlert, to address: NotificationGroupAddress, dueIfNew: Timestamp,
                      in transaction: any AlertTransaction, keepingExisting: Bool = false) throws {
        guard let sqlite = transaction as? SQLiteAlertTransaction else {
            throw StorageError(operation: "routing an alert notification", path: database.path,
                               reason: "the alert transaction is not one of this database")
        }
        let db = sqlite.db
        if alert.firing {
            try db.execute(sql: """
                INSERT INTO notify_groups (receiver, group_key, route_id, group_labels, created_ns, due_ns)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (receiver, group_key) DO NOTHING
                """, arguments: [address.receiver, address.groupKey, address.routeID, SQLiteAlertStore.json(address.groupLabels),
                                 dueIfNew.nanoseconds, dueIfNew.nanoseconds])
        }
        guard let groupID = try Int64.fetchOne(db, sql: "SELECT id FROM notify_groups WHERE receiver = ? AND group_key = ?",
                                               arguments: [address.receiver, address.groupKey]) else { return }
        if alert.firing {
            let onConflict = keepingExisting ? "NOTHING" : """
                UPDATE SET rule_group = excluded.rule_group, labels = excluded.labels, annotations = excluded.annotations,
                    firing = 1, starts_ns = excluded.starts_ns, ends_ns = NULL, value = excluded.value
                """
            try db.execute(sql: """
                INSERT INTO notify_group_alerts (group_id, fingerprint, rule_group, labels, annotations, firing, starts_ns, ends_ns, value)
                VALUES (?, ?, ?, ?, ?, 1, ?, NULL, ?)
                ON CONFLICT (group_id, fingerprint) DO \(onConflict)
                """, arguments: [groupID, alert.fingerprint, alert.ruleGroup, SQLiteAlertStore.json(alert.labels),
                                 SQLiteAlertStore.json(alert.annotations), alert.startsAt.nanoseconds, Self.finite(alert.value)])
        } else {
            try db.execute(sql: """
                UPDATE notify_group_alerts SET firing = 0, ends_ns = ?, value = ?, annotations = ?
                WHERE group_id = ? AND fingerprint = ?
                """, arguments: [alert.endsAt?.nanoseconds, Self.finite(alert.value), SQLiteAlertStore.json(alert.annotations),
                                 groupID, alert.fingerprint])
        }
    }

    /// A write transaction of its own, for group changes made outside an evaluation.
    public func transaction(_ body: @escaping @Sendable (any AlertTransaction) throws -> Void) async throws(StorageError) {
        let writer = try database.requireWriter("routing alert notifications")
        do {
            try await writer.write { db in try body(SQLiteAlertTransaction(db)) }
        } catch {
            throw database.storageError("routing alert notifications", error)
        }
    }

    // MARK: - Flushing groups

    /// Every due group, the firing alerts of all groups (inhibition looks across groups; only
    /// read when `withFiring`) and the silences, handed to `decide` inside one write
    /// transaction together with applying its decisions: no transition can slip between what
    /// a group held and what was sent. `prepare` turns that context into what `decide` needs,
    /// once per transaction. Returns the receivers that got new outbox entries.
    public func flushDueGroups<Prepared>(
        at now: Timestamp, limit: Int = 250, withFiring: Bool = true,
        prepare: @escaping @Sendable (NotificationFlushContext) -> Prepared,
        decide: @escaping @Sendable (NotificationGroupRecord, Prepared) throws -> NotificationGroupFlush
    ) async throws(StorageError) -> Set<String> {
        let writer = try database.requireWriter("flushing notification groups")
        do {
            return try await writer.write { db in
                let groups = try Self.groups(db, sql: "SELECT * FROM notify_groups WHERE due_ns <= ? ORDER BY due_ns, id LIMIT ?",
                                             arguments: [now.nanoseconds, limit])
                guard !groups.isEmpty else { return [] }
                let silences = try Self.silences(db, sql: "SELECT * FROM silences WHERE ends_ns > ?", arguments: [now.nanoseconds])
                let prepared = prepare(NotificationFlushContext(firing: withFiring ? try Self.firingAlerts(db) : [:], silences: silences))
                var receivers: Set<String> = []
                for group in groups {
                    let flush = try decide(group, prepared)
                    if let notification = flush.notification {
                        try Self.insert(notification, createdAt: now, db)
                        receivers.insert(notification.receiver)
                    }
                    try Self.apply(flush, to: group, at: now, db)
                }
                return receivers
            }
        } catch {
            throw database.storageError("flushing notification groups", error)
        }
    }

    /// When the earliest group is due; nil when there are none.
    public func nextGroupDue() async throws(StorageError) -> Timestamp? {
        do {
            return try await database.reader.read { db in
                try Int64.fetchOne(db, sql: "SELECT MIN(due_ns) FROM notify_groups").map(Timestamp.init(nanoseconds:))
            }
        } catch {
            throw database.storageError("reading notification groups", error)
        }
    }

    public func groups() async throws(StorageError) -> [NotificationGroupRecord] {
        do {
            return try await database.reader.read { db in
                try Self.groups(db, sql: "SELECT * FROM notify_groups ORDER BY id", arguments: [])
            }
        } catch {
            throw database.storageError("reading notification groups", error)
        }
    }

    private static func apply(_ flush: NotificationGroupFlush, to group: NotificationGroupRecord, at now: Timestamp, _ db: Database) throws {
        for fingerprint in flush.removedFingerprints {
            try db.execute(sql: "DELETE FROM notify_group_alerts WHERE group_id = ? AND fingerprint = ?",
                           arguments: [group.id, fingerprint])
        }
        guard let nextDue = flush.nextDueAt else {
            try db.execute(sql: "DELETE FROM notify_groups WHERE id = ?", arguments: [group.id])
            return
        }
        try db.execute(sql: """
            UPDATE notify_groups SET due_ns = ?, notified_firing = ?,
                last_flush_ns = CASE WHEN ? THEN ? ELSE last_flush_ns END, flushes = flushes + (CASE WHEN ? THEN 1 ELSE 0 END)
            WHERE id = ?
            """, arguments: [nextDue.nanoseconds, jsonArray(flush.notifiedFiring.sorted()), flush.flushed, now.nanoseconds,
                             flush.flushed, group.id])
    }

    private static func groups(_ db: Database, sql: String, arguments: StatementArguments) throws -> [NotificationGroupRecord] {
        let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
        return try rows.map { row in
            let id: Int64 = row["id"]
            let alerts = try Row.fetchAll(db, sql: "SELECT * FROM notify_group_alerts WHERE group_id = ? ORDER BY starts_ns, fingerprint",
                                          arguments: [id]).map(Self.groupAlert)
            return NotificationGroupRecord(
                id: id, receiver: row["receiver"], groupKey: row["group_key"], routeID: row["route_id"],
                groupLabels: SQLiteAlertStore.labels(row["group_labels"]), createdAt: Timestamp(nanoseconds: row["created_ns"]),
                dueAt: Timestamp(nanoseconds: row["due_ns"]), lastFlushAt: (row["last_flush_ns"] as Int64?).map(Timestamp.init(nanoseconds:)),
                notifiedFiring: Set(stringArray(row["notified_firing"])), flushes: row["flushes"], alerts: alerts
            )
        }
    }

    private static func groupAlert(_ row: Row) -> NotificationGroupAlert {
        NotificationGroupAlert(
            fingerprint: row["fingerprint"], ruleGroup: row["rule_group"], labels: SQLiteAlertStore.labels(row["labels"]),
            annotations: SQLiteAlertStore.labels(row["annotations"]), firing: row["firing"],
            startsAt: Timestamp(nanoseconds: row["starts_ns"]), endsAt: (row["ends_ns"] as Int64?).map(Timestamp.init(nanoseconds:)),
            value: row["value"]
        )
    }

    private static func firingAlerts(_ db: Database) throws -> [String: [String: String]] {
        var firing: [String: [String: String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT DISTINCT fingerprint, labels FROM notify_group_alerts WHERE firing = 1") {
            firing[row[0]] = SQLiteAlertStore.labels(row[1])
        }
        return firing
    }

    // MARK: - JSON columns

    static func finite(_ value: Double?) -> Double? {
        guard let value, !value.isNaN else { return nil }
        return value
    }

    static func jsonArray(_ values: [String]) -> String {
        var json = JSONWriter()
        json.beginArray()
        for value in values { json.string(value) }
        json.endArray()
        return json.string
    }

    static func stringArray(_ text: String) -> [String] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]) ?? []
    }
}

/// What a group's flush decision may look at besides the group: every firing alert (by
/// fingerprint) and the silences that have not ended.
public struct NotificationFlushContext: Sendable {
    public var firing: [String: [String: String]]
    public var silences: [SilenceRecord]

    public init(firing: [String: [String: String]], silences: [SilenceRecord]) {
        self.firing = firing
        self.silences = silences
    }
}
