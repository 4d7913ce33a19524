import Foundation
import GRDB
import ObsCore

extension SQLiteNotificationStore {
    public func insert(_ silence: SilenceRecord) async throws(StorageError) {
        let writer = try database.requireWriter("storing a silence")
        do {
            try await writer.write { db in
                try db.execute(sql: """
                    INSERT INTO silences (id, matchers, starts_ns, ends_ns, comment, author, created_ns, updated_ns)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [silence.id, Self.jsonArray(silence.matchers), silence.startsAt.nanoseconds,
                                     silence.endsAt.nanoseconds, silence.comment, silence.author, silence.createdAt.nanoseconds,
                                     silence.updatedAt.nanoseconds])
            }
        } catch {
            throw database.storageError("storing a silence", error)
        }
    }

    /// Every silence, newest first; expired ones only when asked.
    public func silences(includingExpiredAt now: Timestamp? = nil) async throws(StorageError) -> [SilenceRecord] {
        do {
            return try await database.reader.read { db in
                if let now {
                    return try Self.silences(db, sql: "SELECT * FROM silences WHERE ends_ns > ? ORDER BY created_ns DESC, id",
                                             arguments: [now.nanoseconds])
                }
                return try Self.silences(db, sql: "SELECT * FROM silences ORDER BY created_ns DESC, id", arguments: [])
            }
        } catch {
            throw database.storageError("reading silences", error)
        }
    }

    /// Ends a silence now; nil when there is no silence with that id. An already expired
    /// silence keeps its end.
    public func expireSilence(id: String, at now: Timestamp) async throws(StorageError) -> SilenceRecord? {
        let writer = try database.requireWriter("expiring a silence")
        do {
            return try await writer.write { db in
                try db.execute(sql: """
                    UPDATE silences SET ends_ns = ?, starts_ns = MIN(starts_ns, ?), updated_ns = ? WHERE id = ? AND ends_ns > ?
                    """, arguments: [now.nanoseconds, now.nanoseconds, now.nanoseconds, id, now.nanoseconds])
                return try Self.silences(db, sql: "SELECT * FROM silences WHERE id = ?", arguments: [id]).first
            }
        } catch {
            throw database.storageError("expiring a silence", error)
        }
    }

    static func silences(_ db: Database, sql: String, arguments: StatementArguments) throws -> [SilenceRecord] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            SilenceRecord(
                id: row["id"], matchers: stringArray(row["matchers"]), startsAt: Timestamp(nanoseconds: row["starts_ns"]),
                endsAt: Timestamp(nanoseconds: row["ends_ns"]), comment: row["comment"], author: row["author"],
                createdAt: Timestamp(nanoseconds: row["created_ns"]), updatedAt: Timestamp(nanoseconds: row["updated_ns"])
            )
        }
    }
}
