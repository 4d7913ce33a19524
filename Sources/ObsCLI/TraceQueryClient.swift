import Foundation
import ObsCore
import ObsStorage
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `obs query trace ID`: the API's trace JSON, from the daemon or built from the file.
public enum TraceQueryClient {
    public static func fetch(_ id: String, from source: LogSource) async throws(CLIError) -> [UInt8] {
        switch source {
        case .database(let path):
            do {
                let database = try ObsDatabase.openReadOnly(at: path)
                defer { try? database.close() }
                let (spans, logs) = try await SQLiteTraceReader(database: database).trace(id: id)
                guard !spans.isEmpty || !logs.isEmpty else { throw CLIError("no spans or logs carry trace id \(id.lowercased())") }
                return TraceTree.json(traceID: id.lowercased(), tree: TraceTree(spans: spans), logs: logs).bytes
            } catch let error as CLIError {
                throw error
            } catch {
                throw CLIError("\(error)")
            }
        case .api(let base, let token):
            let url = base.appendingPathComponent("api/v1/traces").appendingPathComponent(id)
            return try await HTTPGet.body(url, token: token)
        }
    }

    /// `obs query traces`: the API's `{"traces":[…]}`, from the daemon or built from the file.
    public static func list(_ query: TraceQuery, from source: LogSource) async throws(CLIError) -> [UInt8] {
        switch source {
        case .database(let path):
            do {
                let database = try ObsDatabase.openReadOnly(at: path)
                defer { try? database.close() }
                return try await SQLiteTraceReader(database: database).traces(matching: query).jsonList.bytes
            } catch {
                throw CLIError("\(error)")
            }
        case .api(let base, let token):
            var items = [URLQueryItem(name: "limit", value: String(query.limit))]
            if let service = query.service { items.append(.init(name: "service", value: service)) }
            if let minimum = query.minimumDurationNanoseconds { items.append(.init(name: "min_duration", value: "\(minimum)ns")) }
            if query.errorsOnly { items.append(.init(name: "error", value: "true")) }
            if let since = query.since { items.append(.init(name: "since", value: since.rfc3339)) }
            if let until = query.until { items.append(.init(name: "until", value: until.rfc3339)) }
            return try await HTTPGet.body(try APIURL.make(base, path: "api/v1/traces", items), token: token)
        }
    }

    /// `obs query services`: the API's `{"edges":[…]}`, from the daemon or built from the file.
    public static func services(since: Timestamp?, until: Timestamp?, from source: LogSource) async throws(CLIError) -> [UInt8] {
        switch source {
        case .database(let path):
            do {
                let database = try ObsDatabase.openReadOnly(at: path)
                defer { try? database.close() }
                return try await SQLiteTraceReader(database: database).services(since: since, until: until).jsonList.bytes
            } catch {
                throw CLIError("\(error)")
            }
        case .api(let base, let token):
            var items: [URLQueryItem] = []
            if let since { items.append(.init(name: "since", value: since.rfc3339)) }
            if let until { items.append(.init(name: "until", value: until.rfc3339)) }
            return try await HTTPGet.body(try APIURL.make(base, path: "api/v1/services", items), token: token)
        }
    }

    /// One line per caller → callee edge.
    public static func servicesTable(_ body: [UInt8]) throws(CLIError) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let edges = object["edges"] as? [[String: Any]] else {
            throw CLIError("the services answer is not the expected JSON")
        }
        guard !edges.isEmpty else { return "no calls between services in the window\n" }
        var lines = ["CALLER → CALLEE                             CALLS    ERRORS   P95"]
        for edge in edges {
            let pair = "\(edge["caller"] as? String ?? "?") → \(edge["callee"] as? String ?? "?")"
            lines.append(pair.padding(toLength: 44, withPad: " ", startingAt: 0)
                + String(edge["calls"] as? Int ?? 0).padding(toLength: 9, withPad: " ", startingAt: 0)
                + String(edge["errors"] as? Int ?? 0).padding(toLength: 9, withPad: " ", startingAt: 0)
                + String(format: "%.1f ms", edge["p95_ms"] as? Double ?? 0))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line per trace, newest first.
    public static func listTable(_ body: [UInt8]) throws(CLIError) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let traces = object["traces"] as? [[String: Any]] else {
            throw CLIError("the traces answer is not the expected JSON")
        }
        guard !traces.isEmpty else { return "no traces matched\n" }
        var lines = ["START                           DURATION      SPANS  ERR  TRACE ID                          ROOT"]
        for trace in traces {
            let duration = String(format: "%.1f ms", trace["duration_ms"] as? Double ?? 0)
            let spans = String(trace["span_count"] as? Int ?? 0)
            lines.append((trace["start"] as? String ?? "").padding(toLength: 32, withPad: " ", startingAt: 0)
                + duration.padding(toLength: 14, withPad: " ", startingAt: 0)
                + spans.padding(toLength: 7, withPad: " ", startingAt: 0)
                + (trace["error"] as? Bool == true ? "!" : " ").padding(toLength: 5, withPad: " ", startingAt: 0)
                + (trace["trace_id"] as? String ?? "").padding(toLength: 34, withPad: " ", startingAt: 0)
                + "\(trace["root_service"] as? String ?? ""): \(trace["root_name"] as? String ?? "")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A waterfall: one line per span in tree order — indented name and service, offset and
    /// duration, and a bar placed and scaled on the trace's time span; errors marked `!`, the
    /// critical path (the chain of latest-ending children from the root) marked `*`; each
    /// log under the span it was written in.
    public static func table(_ body: [UInt8], width: Int = 40) throws(CLIError) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let spans = object["spans"] as? [[String: Any]], let logs = object["logs"] as? [[String: Any]] else {
            throw CLIError("the trace answer is not the expected JSON")
        }
        struct Row {
            var id: String, parent: String?, depth: Int, label: String, start: Int64, end: Int64, error: String?, orphan: Bool
        }
        let rows: [Row] = spans.map { span in
            let start = (span["start"] as? String).flatMap { try? Timestamp.parse($0).get() }?.nanoseconds ?? 0
            let duration = Int64(((span["duration_ms"] as? Double) ?? 0) * 1e6)
            let error = span["status"] as? String == "error" ? (span["status_message"] as? String ?? "") : nil
            return Row(id: span["span_id"] as? String ?? "", parent: span["parent_span_id"] as? String, depth: span["depth"] as? Int ?? 0,
                       label: "\(span["name"] as? String ?? "?") [\(span["service"] as? String ?? "?")]",
                       start: start, end: start + duration, error: error, orphan: span["orphan"] as? Bool ?? false)
        }
        let origin = rows.map(\.start).min() ?? 0
        let total = max(1, (rows.map(\.end).max() ?? 0) - origin)

        // The critical path: from the root, repeatedly the child that ends last.
        var critical = Set<String>()
        var current = rows.first { $0.depth == 0 && !$0.orphan }
        while let span = current {
            critical.insert(span.id)
            current = rows.filter { $0.parent == span.id }.max { $0.end < $1.end }
        }

        var logsBySpan: [String: [[String: Any]]] = [:]
        var unplaced: [[String: Any]] = []
        let ids = Set(rows.map(\.id))
        for log in logs {
            if let span = log["span_id"] as? String, ids.contains(span) { logsBySpan[span, default: []].append(log) } else { unplaced.append(log) }
        }
        func logLine(_ log: [String: Any], indent: Int) -> String {
            String(repeating: "  ", count: indent) + "· \(log["time"] as? String ?? "")  \(log["level"] as? String ?? "")  \(log["message"] as? String ?? "")"
        }

        let labelWidth = min(60, (rows.map { $0.depth * 2 + $0.label.count }.max() ?? 10) + 2)
        var lines = ["trace \(object["trace_id"] as? String ?? "?"): \(spans.count) spans, \(logs.count) logs, " + String(format: "%.1f ms", Double(total) / 1e6)]
        for row in rows {
            let name = String(repeating: "  ", count: row.depth) + row.label
            let from = Int(Double(row.start - origin) / Double(total) * Double(width))
            let to = max(from + 1, Int((Double(row.end - origin) / Double(total) * Double(width)).rounded(.up)))
            let bar = String(repeating: " ", count: from) + String(repeating: row.error == nil ? "█" : "▓", count: min(width, to) - from)
            var line = (critical.contains(row.id) ? "* " : "  ") + (row.error == nil ? " " : "!") + " "
            line += name.padding(toLength: max(labelWidth, name.count), withPad: " ", startingAt: 0)
            line += "|" + bar.padding(toLength: width, withPad: " ", startingAt: 0) + "|"
            line += String(format: " +%.1f ms %.1f ms", Double(row.start - origin) / 1e6, Double(row.end - row.start) / 1e6)
            if let error = row.error { line += "  ERROR" + (error.isEmpty ? "" : ": " + error) }
            if row.orphan { line += "  (orphan: parent \(row.parent ?? "?") not stored)" }
            lines.append(line)
            for log in logsBySpan[row.id] ?? [] { lines.append("    " + logLine(log, indent: row.depth + 1)) }
        }
        if !unplaced.isEmpty {
            lines.append("logs of the trace outside its stored spans:")
            for log in unplaced { lines.append(logLine(log, indent: 1)) }
        }
        lines.append("* critical path   ! error")
        return lines.joined(separator: "\n") + "\n"
    }
}
