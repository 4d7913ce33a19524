import ObsCore

/// One alert's stretch from pending (or firing) to its end, as a backtest reports it.
public struct AlertEpisode: Sendable, Equatable {
    public var group: String
    public var alertname: String
    public var labels: [String: String]
    /// nil when the alert fired at once (`for: 0s`).
    public var pendingAt: Timestamp?
    /// nil when it went back to inactive before `for` passed.
    public var firingAt: Timestamp?
    /// When it resolved (or went inactive); nil while still active at the end of the run.
    public var resolvedAt: Timestamp?
    /// The worst value of the expression's series side while active: the highest, or for a
    /// `<`/`<=` condition the lowest.
    public var peakValue: Double?

    public init(group: String, alertname: String, labels: [String: String], pendingAt: Timestamp? = nil, firingAt: Timestamp? = nil,
                resolvedAt: Timestamp? = nil, peakValue: Double? = nil) {
        self.group = group
        self.alertname = alertname
        self.labels = labels
        self.pendingAt = pendingAt
        self.firingAt = firingAt
        self.resolvedAt = resolvedAt
        self.peakValue = peakValue
    }

    public var startedAt: Timestamp { pendingAt ?? firingAt ?? .earliest }

    /// Seconds spent firing, up to `end` for an episode still active then; 0 if it never fired.
    public func firingSeconds(until end: Timestamp) -> Double {
        guard let firingAt else { return 0 }
        return Double((resolvedAt ?? end).nanoseconds - firingAt.nanoseconds) / 1e9
    }
}

/// A backtest's outcome for one rule.
public struct BacktestRuleSummary: Sendable, Equatable {
    public var group: String
    public var alertname: String
    public var evaluations: Int
    /// Episodes that fired.
    public var episodes: Int
    /// Episodes that went pending and back to inactive without firing.
    public var pendingOnly: Int
    public var firingSeconds: Double
    /// Evaluations whose query failed (the alerts kept their state, as in the daemon).
    public var failedEvaluations: Int
    public var lastError: String?

    public init(group: String, alertname: String, evaluations: Int = 0, episodes: Int = 0, pendingOnly: Int = 0,
                firingSeconds: Double = 0, failedEvaluations: Int = 0, lastError: String? = nil) {
        self.group = group
        self.alertname = alertname
        self.evaluations = evaluations
        self.episodes = episodes
        self.pendingOnly = pendingOnly
        self.firingSeconds = firingSeconds
        self.failedEvaluations = failedEvaluations
        self.lastError = lastError
    }
}

public struct BacktestReport: Sendable, Equatable {
    public var since: Timestamp
    public var until: Timestamp
    public var episodes: [AlertEpisode]
    public var summary: [BacktestRuleSummary]

    public init(since: Timestamp, until: Timestamp, episodes: [AlertEpisode], summary: [BacktestRuleSummary]) {
        self.since = since
        self.until = until
        self.episodes = episodes
        self.summary = summary
    }
}
