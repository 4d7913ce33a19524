import Foundation

/// The daemon's self metrics (`GET /metrics`, Prometheus text), read by name.
struct DaemonMetrics: Sendable {
    let text: String

    static func scrape(port: Int) async -> DaemonMetrics? {
        guard let url = URL(string: "http://127.0.0.1:\(port)/metrics"),
              let (body, status) = try? await HTTPGet.fetch(url, token: nil), status == 200 else { return nil }
        return DaemonMetrics(text: String(decoding: body, as: UTF8.self))
    }

    /// The sum over every series of `name` (with or without labels); nil when there is none.
    func value(_ name: String) -> Double? {
        var total: Double?
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let rest = line.dropFirst(name.count)
            guard rest.first == " " || rest.first == "{" else { continue }
            guard let number = rest.split(separator: " ").last.flatMap({ Double($0) }) else { continue }
            total = (total ?? 0) + number
        }
        return total
    }
}
