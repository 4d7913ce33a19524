import ObsCore

/// What one evaluation of a rule changed: alerts that are now active with a new state (or a
/// new `keep_firing_for` countdown), alerts that stopped being active, and the transitions.
public struct AlertStateChange: Sendable {
    public var upserted: [Alert]
    public var removed: [(group: String, fingerprint: String)]
    public var transitions: [AlertTransition]
    /// Rules whose stored anomaly states this change replaces.
    public var anomalyStates: [RuleAnomalyStates]

    public init(upserted: [Alert] = [], removed: [(group: String, fingerprint: String)] = [], transitions: [AlertTransition] = [],
                anomalyStates: [RuleAnomalyStates] = []) {
        self.upserted = upserted
        self.removed = removed
        self.transitions = transitions
        self.anomalyStates = anomalyStates
    }

    public var isEmpty: Bool { upserted.isEmpty && removed.isEmpty && transitions.isEmpty && anomalyStates.isEmpty }
}

/// Which transitions of the alert history to read, oldest first.
public struct AlertHistoryQuery: Sendable, Equatable {
    public static let defaultLimit = 1_000
    public static let maximumLimit = 100_000

    public var since: Timestamp?
    /// Exclusive.
    public var until: Timestamp?
    public var alertname: String?
    public var state: AlertState?
    public var limit: Int

    public init(since: Timestamp? = nil, until: Timestamp? = nil, alertname: String? = nil, state: AlertState? = nil,
                limit: Int = AlertHistoryQuery.defaultLimit) {
        self.since = since
        self.until = until
        self.alertname = alertname
        self.state = state
        self.limit = limit
    }
}

/// The alerts' current state and their history. Each `commit` is one transaction: the state,
/// the transitions and whatever the sinks write, or none of it.
public protocol AlertStore: Sendable {
    /// Every stored active (pending or firing) alert: what a restart resumes from.
    func activeAlerts() async throws(StorageError) -> [Alert]
    /// Every stored anomaly state, by rule: what a restart resumes the detectors from.
    func anomalyStates() async throws(StorageError) -> [RuleAnomalyStates]
    func commit(_ change: AlertStateChange, sinks: [any AlertTransitionSink]) async throws(StorageError)
    func transitions(matching query: AlertHistoryQuery) async throws(StorageError) -> [AlertTransition]
}
