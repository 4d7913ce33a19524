import ObsCore
import ObsNotify
import ObsStorage

/// The bodies of `/api/v1/notifications` and `/api/v1/silences` (also the CLI's
/// `--format json`).
public enum NotificationsJSON {
    /// `{"notifications":[{"id","idempotency_key","time","receiver","group_key","status",
    /// "notification_status","alerts","firing","resolved","attempts","last_attempt",
    /// "next_attempt","finished","last_status_code","last_error"}]}`, newest first.
    public static func notifications(_ entries: [OutboxEntry]) -> JSONWriter {
        var json = JSONWriter(capacity: 128 + entries.count * 400)
        json.beginObject()
        json.key("notifications"); json.beginArray()
        for entry in entries {
            json.beginObject()
            json.key("id"); json.int(Int(entry.id))
            json.key("idempotency_key"); json.string(entry.idempotencyKey)
            json.key("time"); json.string(entry.createdAt.rfc3339)
            json.key("receiver"); json.string(entry.receiver)
            json.key("group_key"); json.string(entry.notification.groupKey)
            json.key("status"); json.string(entry.status.rawValue)
            json.key("notification_status"); json.string(entry.notification.notificationStatus)
            json.key("alerts"); json.beginArray()
            for fingerprint in entry.notification.fingerprints { json.string(fingerprint) }
            json.endArray()
            json.key("firing"); json.int(entry.notification.firingCount)
            json.key("resolved"); json.int(entry.notification.resolvedCount)
            json.key("attempts"); json.int(entry.attempts)
            json.key("last_attempt"); json.string(entry.lastAttemptAt?.rfc3339)
            json.key("next_attempt"); json.string(entry.status.isOpen ? entry.nextAttemptAt.rfc3339 : nil)
            json.key("finished"); json.string(entry.finishedAt?.rfc3339)
            json.key("last_status_code")
            if let code = entry.lastStatusCode { json.int(code) } else { json.null() }
            json.key("last_error"); json.string(entry.lastError)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json
    }

    /// `{"id","matchers","starts_at","ends_at","comment","author","state"}`.
    static func write(_ silence: Silence, at now: Timestamp, into json: inout JSONWriter) {
        json.beginObject()
        json.key("id"); json.string(silence.id)
        json.key("matchers"); json.beginArray()
        for matcher in silence.matchers { json.string(matcher.description) }
        json.endArray()
        json.key("starts_at"); json.string(silence.startsAt.rfc3339)
        json.key("ends_at"); json.string(silence.endsAt.rfc3339)
        json.key("comment"); json.string(silence.comment)
        json.key("author"); json.string(silence.author)
        json.key("state"); json.string(silence.state(at: now).rawValue)
        json.endObject()
    }

    public static func silences(_ silences: [Silence], at now: Timestamp) -> JSONWriter {
        var json = JSONWriter(capacity: 64 + silences.count * 256)
        json.beginObject()
        json.key("silences"); json.beginArray()
        for silence in silences { write(silence, at: now, into: &json) }
        json.endArray()
        json.endObject()
        return json
    }

    public static func silence(_ silence: Silence, at now: Timestamp) -> JSONWriter {
        var json = JSONWriter()
        write(silence, at: now, into: &json)
        return json
    }
}
