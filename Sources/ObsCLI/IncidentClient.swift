import Foundation
import ObsCore
import ObsIncidents
import ObsStorage

/// `obs query incidents [ID]`, `obs query mttr` and `obs incident ack|resolve|note ID`: the
/// daemon's `/api/v1/incidents` and `/api/v1/mttr`, or (reads only) the SQLite file itself.
public enum IncidentClient {
    public static func incidents(_ query: IncidentQuery, from source: LogSource, externalURL: String = "") async throws(CLIError) -> [UInt8] {
        switch source {
        case .database(let path):
            return try await withStore(path) { store throws(StorageError) in
                var json = JSONWriter()
                json.beginObject()
                json.key("incidents"); json.beginArray()
                for incident in try await store.incidents(matching: query) { IncidentJSON.write(incident, externalURL: externalURL, to: &json) }
                json.endArray()
                json.endObject()
                return json.bytes
            }
        case .api(let base, let token):
            var items: [URLQueryItem] = [.init(name: "limit", value: String(query.limit))]
            if let state = query.state { items.append(.init(name: "state", value: state)) }
            if let service = query.service { items.append(.init(name: "service", value: service)) }
            if let since = query.since { items.append(.init(name: "since", value: since.rfc3339)) }
            if let until = query.until { items.append(.init(name: "until", value: until.rfc3339)) }
            return try await HTTPGet.body(try APIURL.make(base, path: "api/v1/incidents", items), token: token)
        }
    }

    public static func incident(_ id: Int64, from source: LogSource) async throws(CLIError) -> [UInt8] {
        switch source {
        case .database(let path):
            return try await withStore(path) { store throws(StorageError) in
                guard let found = try await store.incident(id) else { throw StorageError(operation: "reading an incident", path: path, reason: IncidentError.notFound(id).description) }
                var json = JSONWriter()
                IncidentJSON.write(found.incident, timeline: found.timeline, externalURL: "", to: &json)
                return json.bytes
            }
        case .api(let base, let token):
            return try await HTTPGet.body(try APIURL.make(base, path: "api/v1/incidents/\(id)", []), token: token)
        }
    }

    public static func mttr(since: Timestamp, by grouping: MTTRReport.Grouping, from source: LogSource) async throws(CLIError) -> [UInt8] {
        switch source {
        case .database(let path):
            return try await withStore(path) { store throws(StorageError) in
                var json = JSONWriter()
                let incidents = try await store.incidents(matching: IncidentQuery(since: since, limit: IncidentQuery.maximumLimit))
                IncidentJSON.write(MTTRReport(incidents, by: grouping), to: &json)
                return json.bytes
            }
        case .api(let base, let token):
            return try await HTTPGet.body(try APIURL.make(base, path: "api/v1/mttr", [
                .init(name: "since", value: since.rfc3339), .init(name: "by", value: grouping.rawValue),
            ]), token: token)
        }
    }

    /// `ack`, `resolve` or `notes` through the daemon; returns the incident's JSON.
    public static func act(_ verb: String, id: Int64, by person: String, text: String, base: URL, token: String?) async throws(CLIError) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key("by"); json.string(person)
        json.key("text"); json.string(text)
        json.key("source"); json.string("cli")
        json.endObject()
        return try await HTTPSend.body("POST", try APIURL.make(base, path: "api/v1/incidents/\(id)/\(verb)", []), body: json.bytes, token: token)
    }

    // MARK: - Tables

    public static func incidentsTable(_ body: [UInt8]) throws(CLIError) -> String {
        let incidents = try NotificationClient.list(body, "incidents")
        guard !incidents.isEmpty else { return "no incidents\n" }
        var rows = [["ID", "STATE", "SERVICE", "OPENED", "TITLE", "MTTD", "MTTA", "MTTR"]]
        for incident in incidents {
            rows.append([
                String(incident["id"] as? Int ?? 0), incident["state"] as? String ?? "", incident["service"] as? String ?? "",
                AlertQueryClient.shortTime(incident["opened_at"]), incident["title"] as? String ?? "",
                seconds(incident["mttd_s"]), seconds(incident["mtta_s"]), seconds(incident["mttr_s"]),
            ])
        }
        return QueryResultPrinter.aligned(rows)
    }

    /// The incident's head, then its timeline with the time since the previous step.
    public static func incidentText(_ body: [UInt8]) throws(CLIError) -> String {
        let incident = try NotificationClient.object(body)
        var text = "incident \(incident["id"] as? Int ?? 0): \(incident["title"] as? String ?? "") — \(incident["state"] as? String ?? "")\n"
        text += "MTTD \(seconds(incident["mttd_s"]))  MTTA \(seconds(incident["mtta_s"]))  "
            + "time to mitigate \(seconds(incident["ttm_s"]))  MTTR \(seconds(incident["mttr_s"]))\n\n"
        var rows = [["TIME", "STEP", "KIND", "SOURCE", "DETAIL"]]
        var previous: Timestamp?
        let now = Timestamp.now()
        for event in incident["timeline"] as? [[String: Any]] ?? [] {
            let time = (event["time"] as? String).flatMap { Timestamp.parseQueryTime($0, now: now) }
            var step = ""
            if let previous, let time { step = "+" + seconds(Double(time.nanoseconds - previous.nanoseconds) / 1e9) }
            previous = time ?? previous
            let by = (event["by"] as? String).map { " (\($0))" } ?? ""
            rows.append([AlertQueryClient.shortTime(event["time"]), step, event["kind"] as? String ?? "", event["source"] as? String ?? "",
                         String(((event["detail"] as? String ?? "") + by).prefix(100))])
        }
        return text + QueryResultPrinter.aligned(rows)
    }

    public static func mttrTable(_ body: [UInt8]) throws(CLIError) -> String {
        let groups = try NotificationClient.list(body, "groups")
        guard !groups.isEmpty else { return "no incidents in the window\n" }
        var rows = [["GROUP", "INCIDENTS", "MTTD mean/median/p90", "MTTA", "TIME TO MITIGATE", "MTTR"]]
        for group in groups {
            rows.append([group["key"] as? String ?? "", String(group["count"] as? Int ?? 0)]
                + ["mttd_s", "mtta_s", "ttm_s", "mttr_s"].map { summary(group[$0]) })
        }
        return QueryResultPrinter.aligned(rows)
    }

    static func summary(_ value: Any?) -> String {
        guard let summary = value as? [String: Any] else { return "—" }
        return [summary["mean"], summary["median"], summary["p90"]].map { seconds($0) }.joined(separator: " / ")
    }

    static func seconds(_ value: Any?) -> String {
        guard let seconds = value as? Double else { return "—" }
        if seconds < 60 { return String(format: "%.0fs", seconds) }
        if seconds < 3600 { return String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60) }
        return String(format: "%dh%02dm", Int(seconds) / 3600, Int(seconds) % 3600 / 60)
    }

    private static func withStore(_ path: String, _ read: (SQLiteIncidentStore) async throws(StorageError) -> [UInt8])
        async throws(CLIError) -> [UInt8] {
        let database = try ReadOnlyStore.open(path)
        defer { try? database.close() }
        do {
            return try await read(SQLiteIncidentStore(database: database))
        } catch {
            throw CLIError("\(error)")
        }
    }
}
