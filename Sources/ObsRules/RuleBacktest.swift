import Foundation
import ObsCore
import ObsQuery
import Synchronization

/// `obs rules test`: runs stored history through the rules in event time — each group at its
/// interval boundaries in [since, until), at t − query_offset, through the same condition
/// evaluation and the same `AlertStateMachine` as the daemon — and collects the episodes.
/// It stores nothing and notifies nobody.
///
/// The instants of a rule are evaluated a chunk at a time in one query each (a range
/// evaluation gives every instant exactly the window an instant evaluation gives it), which
/// is what makes a day of 10 s evaluations take seconds rather than hours.
public struct RuleBacktest: Sendable {
    public let rules: RuleSet
    public let source: any RuleConditionSource
    public let externalURL: String
    /// Instants per query: bounds memory (a chunk's windows are loaded at once).
    public let chunkSize: Int

    public init(rules: RuleSet, source: any RuleConditionSource, externalURL: String = "", chunkSize: Int = 360) {
        self.rules = rules
        self.source = source
        self.externalURL = externalURL
        self.chunkSize = max(1, chunkSize)
    }

    /// `rule` limits the run to the rules of that alert name. `progress` gets the fraction done.
    /// Rules are independent: they run side by side, one per core.
    public func run(since: Timestamp, until: Timestamp, rule name: String? = nil,
                    progress: @escaping @Sendable (Double) -> Void = { _ in }) async -> BacktestReport {
        let plans = rules.groups.flatMap { group in
            group.rules.filter { name == nil || $0.name == name }.map { (group: group, rule: $0, instants: Self.instants(of: group, since: since, until: until)) }
        }
        let chunkSize = self.chunkSize
        let totalChunks = max(1, plans.reduce(0) { $0 + ($1.instants.count + chunkSize - 1) / chunkSize })
        let done = ChunkCounter()
        let width = max(1, min(plans.count, ProcessInfo.processInfo.activeProcessorCount))
        var outcomes: [(index: Int, episodes: [AlertEpisode], summary: BacktestRuleSummary)] = []
        await withTaskGroup(of: (index: Int, episodes: [AlertEpisode], summary: BacktestRuleSummary).self) { tasks in
            var next = 0
            func start() {
                let index = next
                let plan = plans[index]
                next += 1
                tasks.addTask {
                    let (episodes, summary) = await self.backtest(plan.rule, of: plan.group, at: plan.instants, until: until) {
                        progress(Double(done.increment()) / Double(totalChunks))
                    }
                    return (index, episodes, summary)
                }
            }
            while next < width { start() }
            for await outcome in tasks {
                outcomes.append(outcome)
                if next < plans.count { start() }
            }
        }
        outcomes.sort { $0.index < $1.index }
        var episodes = outcomes.flatMap(\.episodes)
        episodes.sort { ($0.startedAt, $0.alertname, AlertFingerprint.of($0.labels)) < ($1.startedAt, $1.alertname, AlertFingerprint.of($1.labels)) }
        return BacktestReport(since: since, until: until, episodes: episodes, summary: outcomes.map(\.summary))
    }

    /// One rule through its instants, a chunk per query.
    private func backtest(_ rule: AlertingRule, of group: RuleGroup, at instants: [Timestamp], until: Timestamp,
                          chunkDone: @Sendable () -> Void) async -> ([AlertEpisode], BacktestRuleSummary) {
        var run = RuleRun(rule: rule, group: group, machine: AlertStateMachine(rule: rule, externalURL: externalURL))
        // Detectors start from the history before `since` and stream through the chunks, as
        // the live engine's do through its evaluations.
        let anomalies = AnomalyMemory()
        var start = 0
        while start < instants.count {
            let chunk = Array(instants[start..<min(start + chunkSize, instants.count)])
            start += chunk.count
            do {
                run.apply(try await source.condition(of: rule, at: chunk, anomalies: anomalies))
            } catch {
                run.summary.failedEvaluations += chunk.count
                run.summary.evaluations += chunk.count
                run.summary.lastError = error.description
            }
            chunkDone()
        }
        let finished = run.finish()
        var summary = run.summary
        summary.episodes = finished.filter { $0.firingAt != nil }.count
        summary.pendingOnly = finished.count - summary.episodes
        summary.firingSeconds = finished.reduce(0) { $0 + $1.firingSeconds(until: until) }
        return (finished, summary)
    }

    /// Evaluation times of a group in [since, until): its interval boundaries, minus its offset.
    static func instants(of group: RuleGroup, since: Timestamp, until: Timestamp) -> [Timestamp] {
        let interval = max(1, group.interval.totalNanoseconds)
        var boundary = since.nanoseconds.roundedUp(toMultipleOf: interval)
        var times: [Timestamp] = []
        while boundary < until.nanoseconds {
            times.append(Timestamp(nanoseconds: boundary).adding(nanoseconds: -group.queryOffset.totalNanoseconds))
            boundary += interval
        }
        return times
    }
}

/// Chunks done across the rules running side by side, for the progress report.
private final class ChunkCounter: Sendable {
    private let done = Atomic<Int>(0)

    func increment() -> Int { done.add(1, ordering: .relaxed).newValue }
}

/// One rule's alerts and episodes through a backtest.
private struct RuleRun {
    let rule: AlertingRule
    let machine: AlertStateMachine
    var alerts: [String: Alert] = [:]
    var open: [String: AlertEpisode] = [:]
    var closed: [AlertEpisode] = []
    var summary: BacktestRuleSummary

    init(rule: AlertingRule, group: RuleGroup, machine: AlertStateMachine) {
        self.rule = rule
        self.machine = machine
        summary = BacktestRuleSummary(group: group.name, alertname: rule.name)
    }

    mutating func apply(_ condition: ConditionResult) {
        for (index, time) in condition.times.enumerated() {
            let samples = condition.samples(at: index)
            let (next, change) = machine.step(alerts, samples: samples, at: time)
            summary.evaluations += 1
            for transition in change.transitions {
                switch transition.state {
                case .pending:
                    open[transition.fingerprint] = AlertEpisode(group: rule.group, alertname: rule.name, labels: transition.labels,
                                                                pendingAt: time)
                case .firing:
                    var episode = open[transition.fingerprint]
                        ?? AlertEpisode(group: rule.group, alertname: rule.name, labels: transition.labels)
                    episode.firingAt = time
                    open[transition.fingerprint] = episode
                case .inactive, .resolved:
                    if var episode = open.removeValue(forKey: transition.fingerprint) {
                        episode.resolvedAt = time
                        closed.append(episode)
                    }
                }
            }
            for (fingerprint, alert) in next {
                guard let value = alert.value, !value.isNaN, var episode = open[fingerprint] else { continue }
                if let peak = episode.peakValue {
                    episode.peakValue = rule.lowerIsWorse ? min(peak, value) : max(peak, value)
                } else {
                    episode.peakValue = value
                }
                open[fingerprint] = episode
            }
            alerts = next
        }
    }

    /// Every episode: the closed ones and those still active at the end.
    func finish() -> [AlertEpisode] {
        closed + open.values
    }
}
