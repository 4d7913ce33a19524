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
            let (body, status) = try await HTTPGet.fetch(url, token: token)
            guard status == 200 else {
                throw CLIError("\(url.host ?? "server") answered \(status): \(HTTPGet.errorMessage(body))")
            }
            return body
        }
    }

    /// An indented tree: one line per span (offset from the trace start, duration, status,
    /// service and name; orphans marked), then the trace's logs.
    public static func table(_ body: [UInt8]) throws(CLIError) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let spans = object["spans"] as? [[String: Any]], let logs = object["logs"] as? [[String: Any]] else {
            throw CLIError("the trace answer is not the expected JSON")
        }
        let starts = spans.compactMap { ($0["start"] as? String).flatMap { try? Timestamp.parse($0).get() } }
        let origin = starts.min() ?? Timestamp.earliest
        var lines = ["trace \(object["trace_id"] as? String ?? "?"): \(spans.count) spans, \(logs.count) logs"]
        for span in spans {
            let depth = span["depth"] as? Int ?? 0
            let start = (span["start"] as? String).flatMap { try? Timestamp.parse($0).get() } ?? origin
            let offset = Double(start.nanoseconds - origin.nanoseconds) / 1e6
            let duration = span["duration_ms"] as? Double ?? 0
            let status = span["status"] as? String ?? ""
            var line = String(repeating: "  ", count: depth)
            line += "\(span["name"] as? String ?? "?") [\(span["service"] as? String ?? "?")]"
            line += String(format: "  +%.1f ms  %.1f ms", offset, duration)
            if status == "error" { line += "  ERROR" + ((span["status_message"] as? String).map { ": " + $0 } ?? "") }
            if span["orphan"] as? Bool == true { line += "  (orphan: parent \(span["parent_span_id"] as? String ?? "?") not stored)" }
            lines.append(line)
        }
        if !logs.isEmpty { lines.append("logs:") }
        for log in logs {
            lines.append("  \(log["time"] as? String ?? "")  \(log["service"] as? String ?? "")  \(log["level"] as? String ?? "")  \(log["message"] as? String ?? "")")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
