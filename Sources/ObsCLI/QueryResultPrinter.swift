import Foundation
import ObsCore
import ObsQuery

/// Prints query results for a terminal: a table of series × time (one row per series, labels
/// and then one column per instant) when the result has few instants, otherwise one
/// sparkline per series with its min, max and last value; or as JSON (the API's body),
/// NDJSON (one series per line) or CSV (one point per line).
public enum QueryResultPrinter {
    static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    /// Up to this many instants fit a terminal as columns; beyond, sparklines.
    static let maximumTableColumns = 8

    public static func render(_ result: QueryResult, as format: OutputFormat) -> String {
        switch format {
        case .json: return result.prometheusJSON.string + "\n"
        case .ndjson: return ndjson(result)
        case .csv: return csv(result)
        case .table:
            let instants = Set(result.series.flatMap { $0.points.map(\.time) }).count
            return result.kind == .matrix && instants > maximumTableColumns ? sparklines(result) : table(result)
        }
    }

    static func labelNames(_ result: QueryResult) -> [String] {
        Set(result.series.flatMap(\.labels.keys)).sorted()
    }

    /// Up to four significant decimals, trailing zeros dropped: 1843.2, 0.0012, 250.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return QueryResult.valueText(value) }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let magnitude = abs(value)
        let decimals = magnitude >= 100 ? 1 : magnitude >= 1 ? 3 : 4 - Int(log10(magnitude > 0 ? magnitude : 1).rounded(.down))
        var text = String(format: "%.\(min(max(decimals, 1), 12))f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    static func table(_ result: QueryResult) -> String {
        guard !result.series.isEmpty else { return "(no data)\n" }
        let names = labelNames(result)
        guard result.kind == .matrix else {
            var rows = [names + ["value"]]
            for series in result.series {
                rows.append(names.map { series.labels[$0] ?? "" } + [series.points.first.map { number($0.value) } ?? ""])
            }
            return aligned(rows)
        }
        let times = Set(result.series.flatMap { $0.points.map(\.time) }).sorted()
        var rows = [names + times.map(clock)]
        for series in result.series {
            let byTime = Dictionary(series.points.map { ($0.time, $0.value) }, uniquingKeysWith: { $1 })
            rows.append(names.map { series.labels[$0] ?? "" } + times.map { time in byTime[time].map(number) ?? "-" })
        }
        return aligned(rows)
    }

    static func sparklines(_ result: QueryResult) -> String {
        guard !result.series.isEmpty else { return "(no data)\n" }
        let times = Set(result.series.flatMap { $0.points.map(\.time) }).sorted()
        let names = labelNames(result)
        var rows = [names + ["min", "max", "last", "\(times.first.map(clock) ?? "") … \(times.last.map(clock) ?? "")"]]
        for series in result.series {
            let values = series.points.map(\.value).filter(\.isFinite)
            let low = values.min() ?? 0, high = values.max() ?? 0
            let byTime = Dictionary(series.points.map { ($0.time, $0.value) }, uniquingKeysWith: { $1 })
            let line = String(times.map { time -> Character in
                guard let value = byTime[time], value.isFinite else { return " " }
                guard high > low else { return bars[3] }
                return bars[min(bars.count - 1, Int((value - low) / (high - low) * Double(bars.count - 1) + 0.5))]
            })
            rows.append(names.map { series.labels[$0] ?? "" } + [number(low), number(high), series.points.last.map { number($0.value) } ?? "", line])
        }
        return aligned(rows)
    }

    static func clock(_ time: Timestamp) -> String {
        let text = time.rfc3339
        guard let t = text.firstIndex(of: "T") else { return text }
        return String(text[text.index(after: t)...].prefix(5))
    }

    static func aligned(_ rows: [[String]]) -> String {
        guard let columns = rows.first?.count else { return "" }
        let widths = (0..<columns).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == columns - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    static func csv(_ result: QueryResult) -> String {
        let names = labelNames(result)
        var lines = [(names + ["time", "value"]).joined(separator: ",")]
        for series in result.series {
            let labels = names.map { csvField(series.labels[$0] ?? "") }
            for point in series.points {
                lines.append((labels + [point.time.rfc3339, QueryResult.valueText(point.value)]).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func ndjson(_ result: QueryResult) -> String {
        result.series.map { series in
            var json = JSONWriter()
            json.beginObject()
            json.key("metric"); json.beginObject()
            for (name, value) in series.labels.sorted(by: { $0.key < $1.key }) { json.key(name); json.string(value) }
            json.endObject()
            json.key("values"); json.beginArray()
            for point in series.points {
                json.beginArray(); json.string(point.time.rfc3339); json.double(point.value); json.endArray()
            }
            json.endArray()
            json.endObject()
            return json.string + "\n"
        }.joined()
    }
}
