import ObsIncidents
import Yams

/// `incidents`: which alerts open incidents and how they group and resolve.
///
/// | key | default |
/// |---|---|
/// | `incidents.severities` | `[page]` (the alert's `severity` label) |
/// | `incidents.group_by` | `[service]` |
/// | `incidents.cooldown` | `5m` (a mitigated incident resolves after this long without a re-fire) |
public struct IncidentsConfig: ConfigSection {
    public var policy = IncidentPolicy()

    mutating func read(_ node: Node, path: String, walker: inout ConfigWalker) {
        walker.mapping(node, path: path) { key, value, walker in
            switch key {
            case "severities": walker.strings(value, path: "\(path).severities") { self.policy.severities = Set($0) }
            case "group_by": walker.strings(value, path: "\(path).group_by") { self.policy.groupBy = $0 }
            case "cooldown": walker.duration(value, path: "\(path).cooldown") { self.policy.cooldown = $0 }
            default: walker.unknown(value, path: "\(path).\(key)")
            }
        }
    }

    func validate() -> [ConfigError.Problem] {
        var problems: [ConfigError.Problem] = []
        if policy.severities.isEmpty {
            problems.append(.init(location: "", key: "incidents.severities", reason: "must name at least one severity"))
        }
        if policy.cooldown < .zero || policy.cooldown > .seconds(86_400) {
            problems.append(.init(location: "", key: "incidents.cooldown", reason: "must be between 0s and 24h"))
        }
        return problems
    }
}
