import Foundation
import GRDB
import ObsCore

extension SQLiteNotificationStore {
    /// The entries of `receiver` that may be sent now: open, due, and each the oldest open
    /// entry of its group, so a group's resolution never overtakes its firing notification.
    /// The ids come from the open entries' indexes in due order (stopping at `limit`); only
    /// those rows are read.
    public func deliverable(receiver: String, at now: Timestamp, excluding inFlight: Set<Int64>, limit: Int)
        async throws(StorageError) -> [OutboxEntry] {
        guard limit > 0 else { return [] }
        let excluded = Self.exclusion(inFlight)
        do {
            return try await database.reader.read { db in
                let ids = try Int64.fetchAll(db, sql: """
                    SELECT o.id \(Self.headsInDueOrder) AND o.next_attempt_ns <= ? \(excluded.sql)
                    ORDER BY o.next_attempt_ns, o.id LIMIT ?
                    """, arguments: [receiver, now.nanoseconds] + excluded.arguments + [limit])
                return try ids.compactMap { id in
                    try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE id = ?", arguments: [id]).map(Self.entry)
                }
            }
        } catch {
            throw database.storageError("reading the outbox", error)
        }
    }

    /// When the next open entry of `receiver` (the head of its group, not in flight) is due.
    public func nextAttempt(receiver: String, excluding inFlight: Set<Int64>) async throws(StorageError) -> Timestamp? {
        let excluded = Self.exclusion(inFlight)
        do {
            return try await database.reader.read { db in
                try Int64.fetchOne(db, sql: """
                    SELECT o.next_attempt_ns \(Self.headsInDueOrder) \(excluded.sql) ORDER BY o.next_attempt_ns, o.id LIMIT 1
                    """, arguments: [receiver] + excluded.arguments).map(Timestamp.init(nanoseconds:))
            }
        } catch {
            throw database.storageError("reading the outbox", error)
        }
    }

    /// Open entries of a receiver (`outbox_due`, in due order) that are the oldest open entry
    /// of their group (`outbox_open`).
    private static let headsInDueOrder = """
        FROM outbox o INDEXED BY outbox_due
        WHERE o.receiver = ? AND o.status IN ('pending', 'retrying')
          AND NOT EXISTS (SELECT 1 FROM outbox p INDEXED BY outbox_open
                          WHERE p.receiver = o.receiver AND p.group_key = o.group_key
                            AND p.status IN ('pending', 'retrying') AND p.id < o.id)
        """

    private static func exclusion(_ ids: Set<Int64>) -> (sql: String, arguments: StatementArguments) {
        guard !ids.isEmpty else { return ("", []) }
        let sorted = ids.sorted()
        return ("AND o.id NOT IN (" + sorted.map { _ in "?" }.joined(separator: ", ") + ")", StatementArguments(sorted))
    }

    /// Records how an attempt ended.
    public func record(attemptOn id: Int64, at time: Timestamp, outcome: DeliveryAttemptOutcome) async throws(StorageError) {
        let writer = try database.requireWriter("recording a delivery attempt")
        do {
            try await writer.write { db in
                switch outcome {
                case .delivered(let code):
                    try db.execute(sql: """
                        UPDATE outbox SET status = 'delivered', attempts = attempts + 1, last_attempt_ns = ?, finished_ns = ?,
                            last_status_code = ?, last_error = NULL WHERE id = ?
                        """, arguments: [time.nanoseconds, time.nanoseconds, code, id])
                case .retry(let code, let error, let next):
                    try db.execute(sql: """
                        UPDATE outbox SET status = 'retrying', attempts = attempts + 1, last_attempt_ns = ?, next_attempt_ns = ?,
                            last_status_code = ?, last_error = ? WHERE id = ?
                        """, arguments: [time.nanoseconds, next.nanoseconds, code, error, id])
                case .dead(let code, let error):
                    try db.execute(sql: """
                        UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_attempt_ns = ?, finished_ns = ?,
                            last_status_code = ?, last_error = ? WHERE id = ?
                        """, arguments: [time.nanoseconds, time.nanoseconds, code, error, id])
                }
            }
        } catch {
            throw database.storageError("recording a delivery attempt", error)
        }
    }

    /// Gives up an open entry without an attempt (its receiver is no longer configured, or
    /// `max_delivery_time` passed while it waited).
    public func abandon(_ id: Int64, at time: Timestamp, reason: String) async throws(StorageError) {
        let writer = try database.requireWriter("abandoning a notification")
        do {
            try await writer.write { db in
                try db.execute(sql: "UPDATE outbox SET status = 'dead', finished_ns = ?, last_error = ? WHERE id = ?",
                               arguments: [time.nanoseconds, reason, id])
            }
        } catch {
            throw database.storageError("abandoning a notification", error)
        }
    }

    /// Outbox entries, newest first.
    public func entries(matching query: OutboxQuery) async throws(StorageError) -> [OutboxEntry] {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let since = query.since {
            conditions.append("created_ns >= ?")
            arguments.append(since.nanoseconds)
        }
        if let until = query.until {
            conditions.append("created_ns < ?")
            arguments.append(until.nanoseconds)
        }
        if let status = query.status {
            conditions.append("status = ?")
            arguments.append(status.rawValue)
        }
        if let receiver = query.receiver {
            conditions.append("receiver = ?")
            arguments.append(receiver)
        }
        arguments.append(max(1, min(query.limit, OutboxQuery.maximumLimit)))
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let statementArguments = StatementArguments(arguments.map { $0.databaseValue })
        do {
            return try await database.reader.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM outbox \(filter) ORDER BY id DESC LIMIT ?", arguments: statementArguments)
                    .map(Self.entry)
            }
        } catch {
            throw database.storageError("reading the outbox", error)
        }
    }

    /// Open entries per receiver.
    public func openCounts() async throws(StorageError) -> [String: Int] {
        do {
            return try await database.reader.read { db in
                var counts: [String: Int] = [:]
                for row in try Row.fetchAll(db, sql: """
                    SELECT receiver, COUNT(*) FROM outbox WHERE status IN ('pending', 'retrying') GROUP BY receiver
                    """) {
                    counts[row[0]] = row[1]
                }
                return counts
            }
        } catch {
            throw database.storageError("reading the outbox", error)
        }
    }

    /// Deletes delivered and dead entries that finished before `cutoff`, in chunks.
    public func deleteFinishedNotifications(before cutoff: Timestamp, chunk: Int = 5_000) async throws(StorageError) -> Int {
        let writer = try database.requireWriter("deleting old notifications")
        var deleted = 0
        do {
            while true {
                let count = try await writer.write { db in
                    try db.execute(sql: """
                        DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE status IN ('delivered', 'dead')
                                                        AND finished_ns < ? LIMIT ?)
                        """, arguments: [cutoff.nanoseconds, chunk])
                    return db.changesCount
                }
                deleted += count
                if count < chunk { return deleted }
            }
        } catch {
            throw database.storageError("deleting old notifications", error)
        }
    }

    static func insert(_ entry: NewOutboxEntry, createdAt: Timestamp, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO outbox (idempotency_key, receiver, group_key, status, notification_status, created_ns, next_attempt_ns,
                                alerts, firing_count, resolved_count, content_type, url_path, body)
            VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [entry.idempotencyKey, entry.receiver, entry.groupKey, entry.notificationStatus, createdAt.nanoseconds,
                             createdAt.nanoseconds, jsonArray(entry.fingerprints), entry.firingCount, entry.resolvedCount,
                             entry.contentType, entry.urlPath, Data(entry.body)])
    }

    static func entry(_ row: Row) -> OutboxEntry {
        let body: Data = row["body"]
        let notification = NewOutboxEntry(
            idempotencyKey: row["idempotency_key"], receiver: row["receiver"], groupKey: row["group_key"],
            notificationStatus: row["notification_status"], fingerprints: stringArray(row["alerts"]),
            firingCount: row["firing_count"], resolvedCount: row["resolved_count"], contentType: row["content_type"],
            urlPath: row["url_path"], body: [UInt8](body)
        )
        return OutboxEntry(
            id: row["id"], notification: notification, status: DeliveryStatus(rawValue: row["status"]) ?? .pending,
            createdAt: Timestamp(nanoseconds: row["created_ns"]), nextAttemptAt: Timestamp(nanoseconds: row["next_attempt_ns"]),
            attempts: row["attempts"], lastAttemptAt: (row["last_attempt_ns"] as Int64?).map(Timestamp.init(nanoseconds:)),
            finishedAt: (row["finished_ns"] as Int64?).map(Timestamp.init(nanoseconds:)),
            lastStatusCode: row["last_status_code"], lastError: row["last_error"]
        )
    }
}
