import Yams

/// `aggregate`: request and log aggregation into rollups.
///
/// | key | default |
/// |---|---|
/// | `aggregate.enabled` | `true` |
/// | `aggregate.grace` | `30s` |
/// | `aggregate.request_logs` | `auto` (`always`, `never`) |
public struct AggregateConfig: ConfigSection {
    /// Off: no rollups are computed (queries see only what earlier runs stored).
    public var enabled = true
    /// How long a 10 s bucket stays open after its end for records that arrive late.
    public var grace: Duration = .seconds(30)
    /// `auto`, `always` or `never`: whether request log lines count as requests.
    public var requestLogs = "auto"

    mutating func read(_ node: Node, path: String, walker: inout ConfigWalker) {
        walker.mapping(node, path: path) { key, value, walker in
            switch key {
            case "enabled": walker.boolean(value, path: "\(path).enabled") { self.enabled = $0 }
            case "grace": walker.duration(value, path: "\(path).grace") { self.grace = $0 }
            case "request_logs":
                walker.choice(value, path: "\(path).request_logs", among: ["auto", "always", "never"]) { self.requestLogs = $0 }
            default: walker.unknown(value, path: "\(path).\(key)")
            }
        }
    }

    func validate() -> [ConfigError.Problem] {
        guard grace < .zero || grace > .seconds(3600) else { return [] }
        return [.init(location: "", key: "aggregate.grace", reason: "must be between 0s and 1h")]
    }
}
