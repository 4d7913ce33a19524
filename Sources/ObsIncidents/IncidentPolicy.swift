/// `incidents:` in obs.yaml: which alerts page (by their `severity` label), how alerts group
/// into one incident, and how long a mitigated incident waits for a re-fire before it
/// resolves.
public struct IncidentPolicy: Sendable, Equatable {
    public var severities: Set<String>
    public var groupBy: [String]
    public var cooldown: Duration

    public init(severities: Set<String> = ["page"], groupBy: [String] = ["service"], cooldown: Duration = .seconds(300)) {
        self.severities = severities
        self.groupBy = groupBy
        self.cooldown = cooldown
    }

    public func pages(_ labels: [String: String]) -> Bool {
        labels["severity"].map(severities.contains) ?? false
    }

    /// The group's labels (those of `groupBy` the alert has) and its key, `service="checkout"`.
    public func group(of labels: [String: String]) -> (key: String, labels: [String: String]) {
        var group: [String: String] = [:]
        for name in groupBy { if let value = labels[name] { group[name] = value } }
        let key = group.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",")
        return (key, group)
    }
}
