import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ObsCore
import ObsNotify
import ObsServer
import ObsStorage

/// `obs query notifications` and `obs silence add|list|expire`: the daemon's
/// `/api/v1/notifications` and `/api/v1/silences`, or — for reading — the SQLite file itself.
public enum NotificationClient {
    public static func notifications(_ query: OutboxQuery, from source: LogSource) async throws(CLIError) -> [UInt8] {
        switch source {
        case .database(let path):
            return try await withStore(path) { store throws(StorageError) in
                NotificationsJSON.notifications(try await store.entries(matching: query)).bytes
            }
        case .api(let base, let token):
            var items = [URLQueryItem(name: "limit", value: String(query.limit))]
            if let since = query.since { items.append(.init(name: "since", value: since.rfc3339)) }
            if let until = query.until { items.append(.init(name: "until", value: until.rfc3339)) }
            if let status = query.status { items.append(.init(name: "status", value: status.rawValue)) }
            if let receiver = query.receiver { items.append(.init(name: "receiver", value: receiver)) }
            return try await HTTPGet.body(try APIURL.make(base, path: "api/v1/notifications", items), token: token)
        }
    }

    public static func silences(from source: LogSource) async throws(CLIError) -> [UInt8] {
        switch source {
        case .database(let path):
            return try await withStore(path) { store throws(StorageError) in
                NotificationsJSON.silences(try await store.silences().compactMap(Silence.init(record:)), at: Timestamp.now()).bytes
            }
        case .api(let base, let token):
            return try await HTTPGet.body(try APIURL.make(base, path: "api/v1/silences", []), token: token)
        }
    }

    /// Adds a silence through the daemon; returns its JSON.
    public static func addSilence(matchers: [String], duration: Duration, comment: String, author: String, base: URL,
                                  token: String?) async throws(CLIError) -> [String: Any] {
        var json = JSONWriter()
        json.beginObject()
        json.key("matchers"); json.beginArray()
        for matcher in matchers { json.string(matcher) }
        json.endArray()
        json.key("duration"); json.string(DurationText.text(duration))
        json.key("comment"); json.string(comment)
        json.key("author"); json.string(author)
        json.endObject()
        let body = try await HTTPSend.body("POST", try APIURL.make(base, path: "api/v1/silences", []), body: json.bytes, token: token)
        return try object(body)
    }

    public static func expireSilence(id: String, base: URL, token: String?) async throws(CLIError) -> [String: Any] {
        let encoded = id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? id
        let body = try await HTTPSend.body("DELETE", try APIURL.make(base, path: "api/v1/silences/\(encoded)", []), body: [], token: token)
        return try object(body)
    }

    // MARK: - Tables

    public static func notificationsTable(_ body: [UInt8]) throws(CLIError) -> String {
        let entries = try list(body, "notifications")
        guard !entries.isEmpty else { return "no notifications\n" }
        var rows = [["TIME", "RECEIVER", "STATUS", "KIND", "ALERTS", "ATTEMPTS", "LAST", "GROUP"]]
        for entry in entries {
            let code = (entry["last_status_code"] as? Int).map { "HTTP \($0)" }
            let last = (entry["last_error"] as? String) ?? code ?? "-"
            rows.append([
                AlertQueryClient.shortTime(entry["time"]), entry["receiver"] as? String ?? "", entry["status"] as? String ?? "",
                entry["notification_status"] as? String ?? "",
                "\(entry["firing"] as? Int ?? 0) firing, \(entry["resolved"] as? Int ?? 0) resolved",
                String(entry["attempts"] as? Int ?? 0), String(last.prefix(60)), entry["group_key"] as? String ?? "",
            ])
        }
        return QueryResultPrinter.aligned(rows)
    }

    public static func silencesTable(_ body: [UInt8]) throws(CLIError) -> String {
        let silences = try list(body, "silences")
        guard !silences.isEmpty else { return "no silences\n" }
        var rows = [["ID", "STATE", "MATCHERS", "ENDS", "AUTHOR", "COMMENT"]]
        for silence in silences {
            rows.append([
                silence["id"] as? String ?? "", silence["state"] as? String ?? "",
                (silence["matchers"] as? [String] ?? []).joined(separator: ", "), AlertQueryClient.shortTime(silence["ends_at"]),
                silence["author"] as? String ?? "", silence["comment"] as? String ?? "",
            ])
        }
        return QueryResultPrinter.aligned(rows)
    }

    static func object(_ body: [UInt8]) throws(CLIError) -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw CLIError("the answer is not a JSON object")
        }
        return object
    }

    static func list(_ body: [UInt8], _ key: String) throws(CLIError) -> [[String: Any]] {
        guard let items = try object(body)[key] as? [[String: Any]] else { throw CLIError("the answer has no \"\(key)\" list") }
        return items
    }

    private static func withStore(_ path: String, _ read: (SQLiteNotificationStore) async throws(StorageError) -> [UInt8])
        async throws(CLIError) -> [UInt8] {
        let database = try ReadOnlyStore.open(path)
        defer { try? database.close() }
        do {
            return try await read(SQLiteNotificationStore(database: database))
        } catch {
            throw CLIError("\(error)")
        }
    }
}

/// Requests that change something (POST, DELETE): the body of a 200 answer, or the server's
/// error as one line.
enum HTTPSend {
    static func body(_ method: String, _ url: URL, body: [UInt8], token: String?) async throws(CLIError) -> [UInt8] {
        var request = URLRequest(url: url)
        request.httpMethod = method
        if !body.isEmpty {
            request.httpBody = Data(body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let data: Data
        let status: Int
        do {
            let (answer, response) = try await URLSession.shared.data(for: request)
            data = answer
            status = (response as? HTTPURLResponse)?.statusCode ?? 0
        } catch {
            throw CLIError("cannot reach \(url.scheme ?? "http")://\(url.host ?? ""):\(url.port ?? 80): \(error.localizedDescription) (is `obs serve` running?)")
        }
        guard status == 200 else { throw CLIError("\(url.host ?? "server") answered \(status): \(HTTPGet.errorMessage([UInt8](data)))") }
        return [UInt8](data)
    }
}
