/// The learned state of one `anomaly(…)` call of a rule, as stored: the last sample time fed
/// and each series' encoded detector.
public struct AnomalyStateRecord: Sendable {
    /// The call in canonical form: a rule whose call changes starts from a rebuilt state.
    public var call: String
    /// Unix seconds of the last sample fed.
    public var fedThrough: Int64
    public var series: [(labels: [String: String], state: [UInt8])]

    public init(call: String, fedThrough: Int64, series: [(labels: [String: String], state: [UInt8])]) {
        self.call = call
        self.fedThrough = fedThrough
        self.series = series
    }
}

/// Every stored anomaly state of one rule; in an `AlertStateChange` it replaces what the
/// rule had stored (an empty `calls` deletes it).
public struct RuleAnomalyStates: Sendable {
    public var group: String
    public var rule: String
    public var calls: [AnomalyStateRecord]

    public init(group: String, rule: String, calls: [AnomalyStateRecord]) {
        self.group = group
        self.rule = rule
        self.calls = calls
    }
}
