import Yams

/// `limits`: the bounds on bodies, records, the ingest queue and aggregation series.
///
/// | key | default |
/// |---|---|
/// | `limits.max_body_bytes` | `8MiB` |
/// | `limits.max_line_bytes` | `1MiB` |
/// | `limits.queue_events` | `200000` |
/// | `limits.series` | `10000` (request series per service) |
/// | `limits.services` | `1000` (services aggregated by name) |
public struct LimitsConfig: ConfigSection {
    public var maxBodyBytes = 8 << 20
    public var maxLineBytes = 1 << 20
    public var queueEvents = 200_000
    /// Request series (route × method) kept per service; beyond it, route="other".
    public var series = 10_000
    /// Services aggregated under their own name; beyond it, service="other".
    public var services = 1_000

    mutating func read(_ node: Node, path: String, walker: inout ConfigWalker) {
        walker.mapping(node, path: path) { key, value, walker in
            switch key {
            case "max_body_bytes": walker.size(value, path: "\(path).max_body_bytes") { self.maxBodyBytes = $0 }
            case "max_line_bytes": walker.size(value, path: "\(path).max_line_bytes") { self.maxLineBytes = $0 }
            case "queue_events": walker.integer(value, path: "\(path).queue_events") { self.queueEvents = $0 }
            case "series": walker.integer(value, path: "\(path).series") { self.series = $0 }
            case "services": walker.integer(value, path: "\(path).services") { self.services = $0 }
            default: walker.unknown(value, path: "\(path).\(key)")
            }
        }
    }

    func validate() -> [ConfigError.Problem] {
        var problems: [ConfigError.Problem] = []
        if maxLineBytes > maxBodyBytes {
            problems.append(.init(location: "", key: "limits.max_line_bytes",
                                  reason: "\(maxLineBytes) bytes is larger than limits.max_body_bytes (\(maxBodyBytes))"))
        }
        for (key, value) in [("queue_events", queueEvents), ("series", series), ("services", services)] where value < 1 {
            problems.append(.init(location: "", key: "limits.\(key)", reason: "must be at least 1"))
        }
        return problems
    }
}
