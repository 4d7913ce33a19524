import Yams

/// `retention`: how long records and rollup buckets are kept.
///
/// | key | default |
/// |---|---|
/// | `retention.logs` | `7d` |
/// | `retention.spans` | `7d` |
/// | `retention.rollups_10s` | `2d` |
/// | `retention.rollups_1m` | `30d` |
/// | `retention.rollups_1h` | `400d` |
/// | `retention.alert_history` | `400d` |
public struct RetentionConfig: ConfigSection {
    public var logs: Duration = .seconds(7 * 86_400)
    public var spans: Duration = .seconds(7 * 86_400)
    public var rollups10s: Duration = .seconds(2 * 86_400)
    public var rollups1m: Duration = .seconds(30 * 86_400)
    public var rollups1h: Duration = .seconds(400 * 86_400)
    /// Alert transitions older than this leave the history (active alerts' state stays).
    public var alertHistory: Duration = .seconds(400 * 86_400)

    mutating func read(_ node: Node, path: String, walker: inout ConfigWalker) {
        walker.mapping(node, path: path) { key, value, walker in
            switch key {
            case "logs": walker.duration(value, path: "\(path).logs") { self.logs = $0 }
            case "spans": walker.duration(value, path: "\(path).spans") { self.spans = $0 }
            case "rollups_10s": walker.duration(value, path: "\(path).rollups_10s") { self.rollups10s = $0 }
            case "rollups_1m": walker.duration(value, path: "\(path).rollups_1m") { self.rollups1m = $0 }
            case "rollups_1h": walker.duration(value, path: "\(path).rollups_1h") { self.rollups1h = $0 }
            case "alert_history": walker.duration(value, path: "\(path).alert_history") { self.alertHistory = $0 }
            default: walker.unknown(value, path: "\(path).\(key)")
            }
        }
    }

    func validate() -> [ConfigError.Problem] {
        var problems: [ConfigError.Problem] = []
        for (key, value) in [("logs", logs), ("spans", spans)] where value < .seconds(60) {
            problems.append(.init(location: "", key: "retention.\(key)", reason: "must be at least 1m"))
        }
        for (key, value) in [("rollups_10s", rollups10s), ("rollups_1m", rollups1m), ("rollups_1h", rollups1h), ("alert_history", alertHistory)]
        where value < .seconds(3600) {
            problems.append(.init(location: "", key: "retention.\(key)", reason: "must be at least 1h"))
        }
        return problems
    }
}
