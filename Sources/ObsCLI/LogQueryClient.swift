import Foundation
import ObsCore
import ObsStorage
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where `obs query logs` reads from: the daemon's HTTP API, or the SQLite file directly.
public enum LogSource: Sendable {
    /// The daemon's base URL, and the bearer token to send when it requires one.
    case api(URL, token: String?)
    case database(path: String)
}

public enum LogQueryClient {
    /// Runs the query and returns the records, newest first.
    public static func fetch(_ query: LogQuery, from source: LogSource) async throws(CLIError) -> [LogRecord] {
        switch source {
        case .database(let path):
            do {
                let database = try ObsDatabase.openReadOnly(at: path)
                defer { try? database.close() }
                return try await SQLiteLogReader(database: database).logs(matching: query)
            } catch {
                throw CLIError("\(error)")
            }
        case .api(let base, let token):
            var items: [URLQueryItem] = [URLQueryItem(name: "limit", value: String(query.limit))]
            if let service = query.service { items.append(.init(name: "service", value: service)) }
            if let severity = query.minimumSeverity { items.append(.init(name: "level", value: String(severity.number))) }
            if let text = query.text { items.append(.init(name: "q", value: text)) }
            if let traceID = query.traceID { items.append(.init(name: "trace_id", value: traceID)) }
            if let since = query.since { items.append(.init(name: "since", value: since.rfc3339)) }
            if let until = query.until { items.append(.init(name: "until", value: until.rfc3339)) }
            let url = try APIURL.make(base, path: "api/v1/logs", items)
            return try APILogDecoder.decode(try await HTTPGet.body(url, token: token))
        }
    }
}

enum HTTPGet {
    static func fetch(_ url: URL, token: String?) async throws(CLIError) -> ([UInt8], Int) {
        var request = URLRequest(url: url)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            return ([UInt8](data), (response as? HTTPURLResponse)?.statusCode ?? 0)
        } catch {
            throw CLIError("cannot reach \(url.scheme ?? "http")://\(url.host ?? ""):\(url.port ?? 80): \(error.localizedDescription) (is `obs serve` running? --db PATH reads the file directly)")
        }
    }

    /// The body of a 200 answer; any other status becomes the server's error as one line.
    static func body(_ url: URL, token: String?) async throws(CLIError) -> [UInt8] {
        let (body, status) = try await fetch(url, token: token)
        guard status == 200 else { throw CLIError("\(url.host ?? "server") answered \(status): \(errorMessage(body))") }
        return body
    }

    static func errorMessage(_ body: [UInt8]) -> String {
        if let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], let message = object["error"] as? String {
            return message
        }
        return String(decoding: body.prefix(200), as: UTF8.self)
    }
}
