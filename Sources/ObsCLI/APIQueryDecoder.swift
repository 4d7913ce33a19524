import Foundation
import ObsCore
import ObsQuery

/// Reads the Prometheus-shaped body of `/api/v1/query[_range]` back into a `QueryResult`.
enum APIQueryDecoder {
    static func decode(_ body: [UInt8]) throws(CLIError) -> QueryResult {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let data = object["data"] as? [String: Any],
              let typeName = data["resultType"] as? String, let kind = QueryResult.Kind(rawValue: typeName) else {
            throw CLIError("the daemon's answer is not a query result: \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        if kind == .scalar {
            guard let pair = data["result"] as? [Any], let point = point(pair) else { throw CLIError("malformed scalar result") }
            return QueryResult(kind: .scalar, series: [QuerySeries(labels: [:], points: [point])])
        }
        guard let entries = data["result"] as? [[String: Any]] else { throw CLIError("malformed query result") }
        var series: [QuerySeries] = []
        for entry in entries {
            let labels = entry["metric"] as? [String: String] ?? [:]
            let pairs = kind == .matrix ? entry["values"] as? [[Any]] ?? [] : (entry["value"] as? [Any]).map { [$0] } ?? []
            series.append(QuerySeries(labels: labels, points: pairs.compactMap(point)))
        }
        return QueryResult(kind: kind, series: series)
    }

    private static func point(_ pair: [Any]) -> QueryPoint? {
        guard pair.count == 2, let seconds = (pair[0] as? NSNumber)?.doubleValue, let text = pair[1] as? String else { return nil }
        let value: Double? = switch text {
        case "NaN": .nan
        case "+Inf": .infinity
        case "-Inf": -.infinity
        default: Double(text)
        }
        guard let value else { return nil }
        return QueryPoint(time: Timestamp(nanoseconds: Int64((seconds * 1e9).rounded())), value: value)
    }
}
