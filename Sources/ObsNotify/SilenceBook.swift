import Foundation
import ObsCore
import ObsStorage

/// Silences as users manage them (`obs silence …`, `/api/v1/silences`): validated, stored,
/// listed and expired. An expired silence stays on record.
public struct SilenceBook: Sendable {
    let store: SQLiteNotificationStore
    let clock: any ObsClock

    public init(store: SQLiteNotificationStore, clock: any ObsClock) {
        self.store = store
        self.clock = clock
    }

    /// What a request to add a silence failed on: the silence itself (400) or the store.
    public enum AddError: Error, CustomStringConvertible, Sendable {
        case invalid(String)
        case storage(StorageError)

        public var description: String {
            switch self {
            case .invalid(let reason): reason
            case .storage(let error): "\(error)"
            }
        }
    }

    /// Adds a silence from matcher texts (`service=checkout`, `alertname=~"Latency.*"`), from
    /// `startsAt` (default now) until `endsAt`.
    public func add(matchers texts: [String], startsAt: Timestamp?, endsAt: Timestamp, comment: String, author: String)
        async throws(AddError) -> Silence {
        var matchers: [LabelMatcher] = []
        for text in texts {
            do {
                matchers.append(try LabelMatcher(parsing: text))
            } catch {
                throw .invalid("\(error)")
            }
        }
        let now = clock.now()
        let silence: Silence
        do {
            silence = try Silence.validated(id: UUID().uuidString.lowercased(), matchers: matchers, startsAt: startsAt ?? now,
                                            endsAt: endsAt, comment: comment, author: author, createdAt: now)
        } catch {
            throw .invalid("\(error)")
        }
        do {
            try await store.insert(silence.record(updatedAt: now))
        } catch {
            throw .storage(error)
        }
        return silence
    }

    /// Every silence, newest first.
    public func all() async throws(StorageError) -> [Silence] {
        try await store.silences().compactMap(Silence.init(record:))
    }

    /// Silences that have not ended.
    public func current() async throws(StorageError) -> [Silence] {
        try await store.silences(includingExpiredAt: clock.now()).compactMap(Silence.init(record:))
    }

    /// Ends the silence now; nil when no silence has that id.
    public func expire(id: String) async throws(StorageError) -> Silence? {
        try await store.expireSilence(id: id, at: clock.now()).flatMap(Silence.init(record:))
    }

    public var now: Timestamp { clock.now() }
}

extension Silence {
    /// A stored silence; nil when a matcher no longer parses (it was stored by this code, so
    /// only a hand-edited database gets there).
    public init?(record: SilenceRecord) {
        var matchers: [LabelMatcher] = []
        for text in record.matchers {
            guard let matcher = try? LabelMatcher(parsing: text) else { return nil }
            matchers.append(matcher)
        }
        self.init(id: record.id, matchers: matchers, startsAt: record.startsAt, endsAt: record.endsAt, comment: record.comment,
                  author: record.author, createdAt: record.createdAt)
    }

    func record(updatedAt: Timestamp) -> SilenceRecord {
        SilenceRecord(id: id, matchers: matchers.map(\.description), startsAt: startsAt, endsAt: endsAt, comment: comment,
                      author: author, createdAt: createdAt, updatedAt: updatedAt)
    }
}
