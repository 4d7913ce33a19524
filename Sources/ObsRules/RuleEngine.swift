import Logging
import ObsCore
import ObsQuery
import ObsStorage
import Synchronization

/// Owns the loaded rules, every active alert and each rule's health. `evaluate(group:at:)`
/// runs one group's rules at an evaluation time given by the caller — the evaluation service
/// passes interval boundaries of its clock, tests pass whatever time they like.
///
/// Each rule's new state goes to the alert store in one transaction with its transitions
/// (and whatever the sinks write) before it replaces the state in memory: when the store
/// fails, the rule keeps its previous state and reports the failure as its health.
public actor RuleEngine {
    public private(set) var rules: RuleSet
    /// The keys of `rules`, kept beside them: checked after every rule's evaluation.
    private var ruleKeys: Set<RuleKey>
    private var alerts: [RuleKey: [String: Alert]] = [:]
    private var statuses: [RuleKey: RuleStatus] = [:]
    private var groupStatuses: [String: GroupStatus] = [:]
    /// Rules whose evaluation overran its timeout and is still running in the background.
    private let running = RunningRules()
    /// The anomaly detectors of each rule that scores series with `anomaly(…)`.
    private var anomalyMemories: [RuleKey: AnomalyMemory] = [:]
    /// When each of them was last stored.
    private var anomalyStoredAt: [RuleKey: Timestamp] = [:]

    let conditions: any RuleConditionSource
    let store: any AlertStore
    let sinks: [any AlertTransitionSink]
    let clock: any ObsClock
    let externalURL: String
    /// How long one rule's query may take; nil: a group's interval.
    let ruleTimeout: Duration?
    /// How often a rule's anomaly detectors are stored with its alert state (in event time).
    /// A restart catches up the samples since from the rollups, so this bounds that work, not
    /// what is remembered.
    let anomalyStoreInterval: Duration
    let observer: RuleEngineObserver
    let logger: Logger

    /// `conditions` evaluates rule expressions: the query evaluator over the daemon's store.
    public init(rules: RuleSet, conditions: any RuleConditionSource, store: any AlertStore, sinks: [any AlertTransitionSink] = [],
                clock: any ObsClock, externalURL: String, ruleTimeout: Duration? = nil, anomalyStoreInterval: Duration = .seconds(300),
                observer: RuleEngineObserver = .init(), logger: Logger) {
        self.rules = rules
        ruleKeys = rules.ruleKeys
        self.conditions = conditions
        self.store = store
        self.sinks = sinks
        self.clock = clock
        self.externalURL = externalURL
        self.ruleTimeout = ruleTimeout
        self.anomalyStoreInterval = anomalyStoreInterval
        self.observer = observer
        self.logger = logger
    }

    /// Resumes the alerts stored by the previous run. Alerts of rules that are no longer
    /// loaded are resolved at `time`; the others continue where they were (a firing alert
    /// keeps firing without a new transition, a pending one keeps its `activeAt`). Anomaly
    /// detectors resume from their stored state.
    public func restore(at time: Timestamp) async throws(StorageError) {
        let stored = try await store.activeAlerts()
        let known = ruleKeys
        var orphans = AlertStateChange()
        for states in try await store.anomalyStates() {
            let key = RuleKey(group: states.group, name: states.rule)
            if known.contains(key) {
                anomalyMemory(for: key).restore(states.calls)
                anomalyStoredAt[key] = time
            } else {
                orphans.anomalyStates.append(RuleAnomalyStates(group: states.group, rule: states.rule, calls: []))
            }
        }
        for alert in stored {
            let key = RuleKey(group: alert.group, name: alert.alertname)
            if known.contains(key) {
                alerts[key, default: [:]][alert.fingerprint] = alert
            } else {
                orphans.removed.append((alert.group, alert.fingerprint))
                orphans.transitions.append(Self.resolution(of: alert, at: time))
            }
        }
        try await store.commit(orphans, sinks: sinks)
        if !orphans.transitions.isEmpty {
            logger.notice("Resolved the alerts of rules that are no longer loaded.", metadata: ["alerts.resolved": "\(orphans.transitions.count)"])
        }
        countAlerts()
    }

    /// Replaces the rules (a reload). Alerts of rules that stay — same group and alert
    /// name — keep their state; alerts of rules that are gone are resolved at `time`.
    public func replaceRules(_ new: RuleSet, at time: Timestamp) async {
        let kept = new.ruleKeys
        var removed = AlertStateChange()
        for key in anomalyMemories.keys where !kept.contains(key) {
            removed.anomalyStates.append(RuleAnomalyStates(group: key.group, rule: key.name, calls: []))
        }
        for (key, ruleAlerts) in alerts where !kept.contains(key) {
            for (fingerprint, alert) in ruleAlerts.sorted(by: { $0.key < $1.key }) {
                removed.removed.append((alert.group, fingerprint))
                removed.transitions.append(Self.resolution(of: alert, at: time))
            }
        }
        do {
            try await store.commit(removed, sinks: sinks)
        } catch {
            logger.error("Storing the resolution of removed rules' alerts failed; they are resolved in memory only.",
                         metadata: ["error": "\(error)"])
        }
        rules = new
        ruleKeys = kept
        alerts = alerts.filter { kept.contains($0.key) }
        statuses = statuses.filter { kept.contains($0.key) }
        anomalyMemories = anomalyMemories.filter { kept.contains($0.key) }
        anomalyStoredAt = anomalyStoredAt.filter { kept.contains($0.key) }
        let groups = Set(new.groups.map(\.name))
        groupStatuses = groupStatuses.filter { groups.contains($0.key) }
        countAlerts()
    }

    /// Evaluates every rule of the group at `time`, one after the other. Nothing throws: a
    /// rule that fails or overruns its timeout reports it as its health, and its alerts keep
    /// their state.
    public func evaluate(group name: String, at time: Timestamp) async {
        guard let group = rules.group(named: name) else { return }
        let clock = ContinuousClock()
        let groupStarted = clock.now
        for rule in group.rules {
            let started = clock.now
            let outcome = await evaluate(rule, at: time, timeout: ruleTimeout ?? group.interval)
            let seconds = Self.seconds(clock.now - started)
            // A reload while the query ran may have removed the rule.
            guard ruleKeys.contains(rule.key) else { continue }
            var status = RuleStatus()
            status.lastEvaluation = time
            status.evaluationSeconds = seconds
            switch outcome {
            case .success(let next):
                alerts[rule.key] = next.isEmpty ? nil : next
                status.health = .ok
            case .failure(let failure):
                let message = failure.message
                status.health = .err
                status.lastError = message
                if statuses[rule.key]?.lastError != message {
                    logger.warning("A rule failed to evaluate; its alerts keep their state.", metadata: [
                        "rule.group": "\(rule.group)", "rule.name": "\(rule.name)", "error": "\(message)",
                    ])
                }
            }
            statuses[rule.key] = status
            observer.ruleEvaluated(rule.key, seconds, status.health == .err)
        }
        var groupStatus = GroupStatus()
        groupStatus.lastEvaluation = time
        groupStatus.evaluationSeconds = Self.seconds(clock.now - groupStarted)
        groupStatuses[name] = groupStatus
        observer.groupEvaluated(name, time, groupStatus.evaluationSeconds)
        if group.rules.contains(where: { anomalyMemories[$0.key] != nil }) { observer.anomalySeriesCounted(anomalySeriesCount) }
        countAlerts()
    }

    private func evaluate(_ rule: AlertingRule, at time: Timestamp, timeout: Duration) async -> Result<[String: Alert], RuleFailure> {
        let key = rule.key
        guard running.start(key) else {
            return .failure(RuleFailure("the previous evaluation is still running (it exceeded the \(DurationText.text(timeout)) timeout)"))
        }
        let conditions = self.conditions
        let running = self.running
        let anomalies = rule.expression.containsAnomaly ? anomalyMemory(for: key) : AnomalyMemory()
        let query = Task {
            defer { running.finish(key) }
            return try await conditions.condition(of: rule, at: [time], anomalies: anomalies)
        }
        let result: Result<ConditionResult, RuleFailure> = await Deadline.race(query, timeout: timeout, clock: clock) {
            RuleFailure("the query did not finish within \(DurationText.text(timeout))")
        }
        let condition: ConditionResult
        switch result {
        case .success(let value): condition = value
        case .failure(let failure): return .failure(failure)
        }
        let samples = condition.samples(at: 0)
        let machine = AlertStateMachine(rule: rule, externalURL: externalURL)
        var (next, change) = machine.step(alerts[key] ?? [:], samples: samples, at: time)
        let storesAnomalies = anomalyMemories[key].map { memory in
            memory.forgetUnused()
            guard let stored = anomalyStoredAt[key] else { return true }
            return time.nanoseconds - stored.nanoseconds >= anomalyStoreInterval.totalNanoseconds
        } ?? false
        if storesAnomalies, let memory = anomalyMemories[key] {
            change.anomalyStates = [RuleAnomalyStates(group: key.group, rule: key.name, calls: memory.encoded())]
        }
        do {
            try await store.commit(change, sinks: sinks)
        } catch {
            return .failure(RuleFailure("storing the alerts' new state failed: \(error)"))
        }
        if storesAnomalies { anomalyStoredAt[key] = time }
        return .success(next)
    }

    private func anomalyMemory(for key: RuleKey) -> AnomalyMemory {
        if let memory = anomalyMemories[key] { return memory }
        let memory = AnomalyMemory()
        anomalyMemories[key] = memory
        return memory
    }

    /// Stores every rule's anomaly detectors now (at shutdown), so that the next start has
    /// nothing to catch up beyond the time it was down.
    public func storeAnomalyStates() async {
        var change = AlertStateChange()
        for (key, memory) in anomalyMemories.sorted(by: { ($0.key.group, $0.key.name) < ($1.key.group, $1.key.name) }) {
            change.anomalyStates.append(RuleAnomalyStates(group: key.group, rule: key.name, calls: memory.encoded()))
        }
        do {
            try await store.commit(change, sinks: sinks)
        } catch {
            logger.warning("Storing the anomaly detectors' state failed; the next start rebuilds it from the rollups.",
                           metadata: ["error": "\(error)"])
        }
    }

    /// Series the anomaly detectors follow, over all rules.
    public var anomalySeriesCount: Int { anomalyMemories.values.reduce(0) { $0 + $1.seriesCount } }

    // MARK: - Reading

    /// Every active alert, by rule group, alert name and labels.
    public func activeAlerts() -> [Alert] {
        alerts.values.flatMap(\.values).sorted { ($0.group, $0.alertname, $0.fingerprint) < ($1.group, $1.alertname, $1.fingerprint) }
    }

    public func alerts(of rule: RuleKey) -> [Alert] {
        (alerts[rule] ?? [:]).values.sorted { $0.fingerprint < $1.fingerprint }
    }

    public func status(of rule: RuleKey) -> RuleStatus { statuses[rule] ?? RuleStatus() }

    public func status(ofGroup name: String) -> GroupStatus { groupStatuses[name] ?? GroupStatus() }

    // MARK: -

    private func countAlerts() {
        var pending = 0, firing = 0
        for alert in alerts.values.flatMap(\.values) {
            if alert.state == .pending { pending += 1 } else if alert.state == .firing { firing += 1 }
        }
        observer.alertsCounted(pending, firing)
    }

    static func resolution(of alert: Alert, at time: Timestamp) -> AlertTransition {
        AlertTransition(group: alert.group, fingerprint: alert.fingerprint, labels: alert.labels, annotations: alert.annotations,
                        state: alert.state == .pending ? .inactive : .resolved, time: time, value: nil, activeAt: alert.activeAt)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Rules whose query is running, possibly past its deadline.
final class RunningRules: Sendable {
    private let keys = Mutex<Set<RuleKey>>([])

    /// False when the rule's previous query is still running.
    func start(_ key: RuleKey) -> Bool { keys.withLock { $0.insert(key).inserted } }

    func finish(_ key: RuleKey) { _ = keys.withLock { $0.remove(key) } }
}

/// Why a rule's evaluation failed, as its `lastError`.
struct RuleFailure: Error, Sendable {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}
