import Foundation
import ObsCore

/// Scenario 1b: the outbox's throughput. 10,000 alerts fire at one evaluation in 2,000
/// groups (`group_wait: 0s`), so 2,000 notifications queue at once for one receiver:
/// notifications delivered per second from the first arrival to the last, and each one's
/// time from composition (its outbox `time`) to its arrival.
extension NotifyBenchmark {
    struct OutboxResult {
        var rule: String
        var route: String
        var alerts: Int
        var groups: Int
        var ingestLines: Int
        var ingestSeconds: Double
        var firingInstants: [Timestamp: Int]
        var evaluationSeconds: Double?
        var posts: Int
        var alertsPerPost: [Int: Int]
        var distinctKeys: Int
        var extraPosts: Int
        /// First to last arrival.
        var spanSeconds: Double
        /// Firing instant → first composed, and first → last composed.
        var firstComposedSeconds: Double?
        var composingSeconds: Double?
        /// Firing instant → first arrival.
        var firstArrivalSeconds: Double?
        var delivered: LatencySummary
        var outboxStatuses: [String: Int]
        var meanAttemptSeconds: Double?
        var cpu: (daemon: Double, others: Double)
        var peakRSS: Int
        var exitStatus: Int32
        var failureLog: String?
        var failures: [String]

        /// Notifications per second between the first and the last arrival (posts − 1 intervals).
        var perSecond: Double { spanSeconds > 0 ? Double(posts - 1) / spanSeconds : 0 }
    }

    func measureOutbox(workDirectory: String) async throws(CLIError) -> OutboxResult {
        let recorder = try await NotifyBenchmarkRecorder.start()
        let group = "notify-outbox"
        let rule = BenchRuleFiles.Rule(alert: "OutboxLatencyHigh", expr: "p95(latency[1m]) by (service, route, method) > 1s", holdFor: "0s",
                                       summary: "{{ $labels.service }} {{ $labels.method }} {{ $labels.route }} p95 is {{ $value }}")
        // Interval 10s: an evaluation that routes 10,000 transitions must not overrun its interval.
        let setup = NotifyBenchmarkDaemon(name: "outbox", rules: BenchRuleFiles.Group(name: group, interval: "10s", rules: [rule]),
                                          receiverURL: recorder.url, groupBy: ["alertname", "service", "route"], groupInterval: "1m")
        progress("1. outbox: starting obs serve (rule \(rule.expr), interval 10s; route \(setup.routeSummary))…")
        return try await withBurstDaemon(setup, recorder: recorder, in: workDirectory) { daemon in
            await runOutbox(daemon: daemon, recorder: recorder, group: group, rule: rule, setup: setup)
        }
    }

    private func runOutbox(daemon: BenchDaemon, recorder: NotifyBenchmarkRecorder, group: String, rule: BenchRuleFiles.Rule,
                           setup: NotifyBenchmarkDaemon) async -> Result<OutboxResult, CLIError> {
        do throws(CLIError) {
            let api = NotifyBenchmarkAPI(port: daemon.httpPort)
            try await waitForFirstEvaluation(api, group: group)
            let series = NotifyBenchmarkLoad.series(prefix: "outbox", services: options.outboxServices, routes: options.outboxRoutes,
                                                    methods: options.outboxMethods)
            let groups = options.outboxServices * options.outboxRoutes
            let load = NotifyBenchmarkLoad(port: daemon.httpPort)
            let cpu = NotifyBenchmarkCPU(daemon: daemon.process.processIdentifier)

            let linesPerSeries = 2
            let boundary = await NotifyBenchmarkLoad.sleep(untilAfterBoundaryOf: 10, offset: 0.1)
            let body = NotifyBenchmarkLoad.body(series.map { ($0, durationMs: 3000) }, linesPerSeries: linesPerSeries, now: .now())
            progress("1. outbox: \(series.count * linesPerSeries) slow requests (\(series.count) series) in one POST; \(groups) notifications expected…")
            let ingestSeconds = try await load.post(body, lines: series.count * linesPerSeries)
            let expectedFiring = boundary.adding(nanoseconds: 10_000_000_000)
            let evaluation = try await evaluationTime(api, group: group, at: expectedFiring, limit: 30)

            let complete = await recorder.waitFor(groups, stallTimeout: 60, limit: 1800) { [progress] seen in
                progress("  \(seen) of \(groups) notifications delivered")
            }
            let arrivedWhenComplete = recorder.count
            let capture = try await captureAfterBurst(daemon: daemon, recorder: recorder, api: api, cpu: cpu, group: group)
            let (usage, arrivals, payloads, unreadable) = (capture.usage, capture.arrivals, capture.payloads, capture.unreadable)
            let (history, unhealthy, outbox, metrics) = (capture.history, capture.unhealthy, capture.outbox, capture.metrics)
            let (peakRSS, exitStatus) = (capture.peakRSS, capture.exitStatus)
            let (instants, perPost, keys, statuses) = (capture.instants, capture.perPost, capture.keys, capture.statuses)
            let composedAt = Dictionary(outbox.map { ($0.idempotencyKey, $0.time) }, uniquingKeysWith: { first, _ in first })
            let delivered = payloads.compactMap { payload in
                payload.idempotencyKey.flatMap { composedAt[$0] }.map { Self.seconds(from: $0, to: payload.receivedAt) }
            }
            let fired = history.map(\.time).min()
            let composedTimes = outbox.map(\.time)
            let first = arrivals.map(\.receivedAt).min(), last = arrivals.map(\.receivedAt).max()

            let perGroup = options.outboxMethods
            var failures: [String] = []
            if !complete { failures.append("only \(arrivedWhenComplete) of \(groups) notifications arrived (stalled or too slow)") }
            if arrivals.count != groups { failures.append("\(arrivals.count) POSTs arrived, expected exactly \(groups)") }
            if perPost != [perGroup: groups] { failures.append("alerts per POST \(Self.describe(perPost)), expected \(groups) × \(perGroup)") }
            if keys.count != arrivals.count { failures.append("\(arrivals.count) POSTs carried \(keys.count) distinct idempotency keys") }
            if history.count != series.count || instants.count != 1 {
                failures.append("\(history.count) firing transitions at \(instants.count) evaluation instants, expected \(series.count) at one")
            }
            if unreadable > 0 { failures.append("\(unreadable) POST bodies are not Alertmanager webhook bodies") }
            if statuses != ["delivered": groups] { failures.append("outbox \(Self.describe(statuses)), expected \(groups) delivered") }
            if !unhealthy.isEmpty { failures.append("rules in error: \(unhealthy.joined(separator: "; "))") }
            if exitStatus != 0 { failures.append("the daemon exited \(exitStatus) after SIGINT") }

            return .success(OutboxResult(
                rule: rule.expr, route: setup.routeSummary, alerts: series.count, groups: groups, ingestLines: series.count * linesPerSeries,
                ingestSeconds: ingestSeconds, firingInstants: instants, evaluationSeconds: evaluation, posts: arrivals.count,
                alertsPerPost: perPost, distinctKeys: keys.count, extraPosts: max(0, arrivals.count - arrivedWhenComplete),
                spanSeconds: first.flatMap { first in last.map { Self.seconds(from: first, to: $0) } } ?? 0,
                firstComposedSeconds: fired.flatMap { fired in composedTimes.min().map { Self.seconds(from: fired, to: $0) } },
                composingSeconds: composedTimes.min().flatMap { first in composedTimes.max().map { Self.seconds(from: first, to: $0) } },
                firstArrivalSeconds: fired.flatMap { fired in first.map { Self.seconds(from: fired, to: $0) } },
                delivered: LatencySummary(delivered), outboxStatuses: statuses, meanAttemptSeconds: Self.meanAttemptSeconds(metrics),
                cpu: usage, peakRSS: peakRSS, exitStatus: exitStatus, failureLog: exitStatus == 0 ? nil : daemon.logTail(),
                failures: failures
            ))
        } catch {
            _ = daemon.stop()
            return .failure(error)
        }
    }
}
