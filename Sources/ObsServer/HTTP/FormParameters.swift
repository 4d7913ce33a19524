import Foundation
import Hummingbird

/// A request's query string read as HTML forms and `curl --data-urlencode` write it: `+` is
/// a space and `%2B` a plus (Hummingbird's own map keeps `+` literal, which would turn
/// `expr=p95(latency[5m])+by+(service)` into an arithmetic plus). The first value of a
/// repeated name wins.
struct FormParameters: Sendable {
    private var values: [String: String] = [:]

    init(_ request: Request) {
        for pair in (request.uri.query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) ?? String(parts[1]) : ""
            if values[name] == nil { values[name] = value }
        }
    }

    func get(_ name: String) -> String? {
        values[name]
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
