import ObsCore

/// Renders log records in each output format. JSON matches the API's shape exactly, so
/// `--db` and `--url` print the same bytes for the same records.
public enum LogRecordPrinter {
    public static func render(_ records: [LogRecord], as format: OutputFormat) -> String {
        switch format {
        case .json:
            return records.jsonList.string + "\n"
        case .ndjson:
            return records.map { record in
                var json = JSONWriter()
                record.write(to: &json)
                return json.string + "\n"
            }.joined()
        case .csv:
            var lines = ["time,service,level,severity,message,trace_id,span_id,duration_ms,status,route,method,attributes"]
            for r in records {
                let fields: [String] = [
                    r.time.rfc3339, r.service, r.severity.name, String(r.severity.number), r.message, r.traceID ?? "",
                    r.spanID ?? "", r.durationMs.map(formatNumber) ?? "", r.status.map(String.init) ?? "", r.route ?? "",
                    r.method ?? "", r.attributes,
                ]
                lines.append(fields.map(csvField).joined(separator: ","))
            }
            return lines.joined(separator: "\n") + "\n"
        case .table:
            guard !records.isEmpty else { return "no logs matched\n" }
            let serviceWidth = min(24, max(7, records.map(\.service.count).max() ?? 7))
            var lines = [pad("TIME", 32) + pad("SERVICE", serviceWidth + 2) + pad("LEVEL", 7) + "MESSAGE"]
            for r in records {
                var details: [String] = []
                if let method = r.method { details.append(method) }
                if let route = r.route { details.append(route) }
                if let status = r.status { details.append("status=\(status)") }
                if let duration = r.durationMs { details.append("\(formatNumber(duration))ms") }
                if let trace = r.traceID { details.append("trace=\(trace)") }
                if r.attributes != "{}" { details.append(r.attributes) }
                let message = r.message.replacingNewlines
                lines.append(pad(r.time.rfc3339, 32) + pad(r.service, serviceWidth + 2) + pad(r.severity.name, 7)
                             + message + (details.isEmpty ? "" : "  " + details.joined(separator: " ")))
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? String(text.prefix(width - 1)) + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    static func formatNumber(_ value: Double) -> String {
        var json = JSONWriter()
        json.double(value)
        return json.string
    }
}

extension String {
    fileprivate var replacingNewlines: String {
        String(map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
