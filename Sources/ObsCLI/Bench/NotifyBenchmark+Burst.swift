import Foundation
import ObsCore

/// Scenario 1a: 1,000 alerts of one rule fire at one evaluation, across 50 groups with
/// `group_wait: 0s`; each alert's time from its firing instant to the arrival of the POST
/// that carries it.
extension NotifyBenchmark {
    struct BurstResult {
        var rule: String
        var route: String
        var alerts: Int
        var groups: Int
        var ingestLines: Int
        var ingestSeconds: Double
        /// Firing transitions by evaluation instant (one instant when they fired together).
        var firingInstants: [Timestamp: Int]
        /// The firing evaluation's own duration (query, state changes, the store write that routes them to groups).
        var evaluationSeconds: Double?
        var posts: Int
        var alertsPerPost: [Int: Int]
        var distinctKeys: Int
        var unreadable: Int
        /// POSTs that arrived in the 3 s after the expected last one.
        var extraPosts: Int
        /// Per alert: firing instant → arrival of its POST.
        var latency: LatencySummary
        /// Per notification: firing instant → composed (outbox `time`): evaluation and grouping.
        var composed: LatencySummary
        /// Per notification: composed → arrival: the outbox and the POST.
        var delivered: LatencySummary
        var outboxStatuses: [String: Int]
        var meanAttemptSeconds: Double?
        var cpu: (daemon: Double, others: Double)
        var peakRSS: Int
        var exitStatus: Int32
        var failureLog: String?
        var failures: [String]
    }

    func measureBurst(workDirectory: String) async throws(CLIError) -> BurstResult {
        let recorder = try await NotifyBenchmarkRecorder.start()
        let group = "notify-burst"
        let rule = BenchRuleFiles.Rule(alert: "BurstLatencyHigh", expr: "p95(latency[1m]) by (service, route) > 1s", holdFor: "0s",
                                       summary: "{{ $labels.service }} {{ $labels.route }} p95 is {{ $value }}")
        let setup = NotifyBenchmarkDaemon(name: "burst", rules: BenchRuleFiles.Group(name: group, interval: "1s", rules: [rule]),
                                          receiverURL: recorder.url, groupBy: ["alertname", "service"], groupInterval: "1m")
        progress("1. burst: starting obs serve (rule \(rule.expr), interval 1s; route \(setup.routeSummary))…")
        return try await withBurstDaemon(setup, recorder: recorder, in: workDirectory) { daemon in
            await runBurst(daemon: daemon, recorder: recorder, group: group, rule: rule, setup: setup)
        }
    }

    private func runBurst(daemon: BenchDaemon, recorder: NotifyBenchmarkRecorder, group: String, rule: BenchRuleFiles.Rule,
                          setup: NotifyBenchmarkDaemon) async -> Result<BurstResult, CLIError> {
        do throws(CLIError) {
            let api = NotifyBenchmarkAPI(port: daemon.httpPort)
            try await waitForFirstEvaluation(api, group: group)
            let series = NotifyBenchmarkLoad.series(prefix: "burst", services: options.burstServices, routes: options.burstRoutes)
            let load = NotifyBenchmarkLoad(port: daemon.httpPort)
            let cpu = NotifyBenchmarkCPU(daemon: daemon.process.processIdentifier)

            // Sent just after an evaluation boundary, so the next one sees every series.
            let linesPerSeries = 2
            let boundary = await NotifyBenchmarkLoad.sleep(untilAfterBoundaryOf: 1, offset: 0.05)
            let body = NotifyBenchmarkLoad.body(series.map { ($0, durationMs: 3000) }, linesPerSeries: linesPerSeries, now: .now())
            progress("1. burst: \(series.count * linesPerSeries) slow requests (\(series.count) series, 3 s each) in one POST…")
            let ingestSeconds = try await load.post(body, lines: series.count * linesPerSeries)
            let expectedFiring = boundary.adding(nanoseconds: 1_000_000_000)
            let evaluation = try await evaluationTime(api, group: group, at: expectedFiring)

            let expectedPosts = options.burstServices
            let complete = await recorder.waitFor(expectedPosts, stallTimeout: 30, limit: 120) { [progress] seen in
                progress("  \(seen) of \(expectedPosts) POSTs so far")
            }
            let arrivedWhenComplete = recorder.count
            let capture = try await captureAfterBurst(daemon: daemon, recorder: recorder, api: api, cpu: cpu, group: group)
            let (usage, arrivals, payloads, unreadable) = (capture.usage, capture.arrivals, capture.payloads, capture.unreadable)
            let (history, unhealthy, outbox, metrics) = (capture.history, capture.unhealthy, capture.outbox, capture.metrics)
            let (peakRSS, exitStatus) = (capture.peakRSS, capture.exitStatus)
            let (instants, perPost, keys, statuses) = (capture.instants, capture.perPost, capture.keys, capture.statuses)
            let firedAt = Dictionary(history.map { ($0.fingerprint, $0.time) }, uniquingKeysWith: { first, _ in first })
            let composedAt = Dictionary(outbox.map { ($0.idempotencyKey, $0.time) }, uniquingKeysWith: { first, _ in first })
            var latencies: [Double] = [], composed: [Double] = [], delivered: [Double] = []
            var unknownAlerts = 0
            for payload in payloads {
                let fired = payload.alerts.compactMap { firedAt[$0.fingerprint] }
                unknownAlerts += payload.alerts.count - fired.count
                latencies += fired.map { Self.seconds(from: $0, to: payload.receivedAt) }
                if let key = payload.idempotencyKey, let time = composedAt[key] {
                    delivered.append(Self.seconds(from: time, to: payload.receivedAt))
                    if let latest = fired.max() { composed.append(Self.seconds(from: latest, to: time)) }
                }
            }
            let fingerprints = Set(payloads.flatMap { $0.alerts.map(\.fingerprint) })

            let alerts = series.count
            var failures: [String] = []
            if !complete { failures.append("only \(arrivedWhenComplete) of \(expectedPosts) POSTs arrived (stalled or too slow)") }
            if arrivals.count != expectedPosts { failures.append("\(arrivals.count) POSTs arrived, expected exactly \(expectedPosts)") }
            if perPost != [options.burstRoutes: expectedPosts] {
                failures.append("alerts per POST \(Self.describe(perPost)), expected \(expectedPosts) × \(options.burstRoutes)")
            }
            if keys.count != arrivals.count { failures.append("\(arrivals.count) POSTs carried \(keys.count) distinct idempotency keys") }
            if fingerprints.count != alerts { failures.append("the POSTs carried \(fingerprints.count) distinct alerts, expected \(alerts)") }
            if history.count != alerts || instants.count != 1 {
                failures.append("\(history.count) firing transitions at \(instants.count) evaluation instants, expected \(alerts) at one")
            }
            if unknownAlerts > 0 { failures.append("\(unknownAlerts) alerts in the POSTs have no firing transition") }
            if unreadable > 0 { failures.append("\(unreadable) POST bodies are not Alertmanager webhook bodies") }
            if payloads.contains(where: { $0.status != "firing" || $0.alerts.contains { $0.status != "firing" } }) {
                failures.append("a POST or an alert in it is not \"firing\"")
            }
            if statuses != ["delivered": expectedPosts] { failures.append("outbox \(Self.describe(statuses)), expected \(expectedPosts) delivered") }
            if !unhealthy.isEmpty { failures.append("rules in error: \(unhealthy.joined(separator: "; "))") }
            if exitStatus != 0 { failures.append("the daemon exited \(exitStatus) after SIGINT") }

            return .success(BurstResult(
                rule: rule.expr, route: setup.routeSummary, alerts: alerts, groups: options.burstServices,
                ingestLines: series.count * linesPerSeries, ingestSeconds: ingestSeconds, firingInstants: instants,
                evaluationSeconds: evaluation, posts: arrivals.count, alertsPerPost: perPost,
                distinctKeys: keys.count, unreadable: unreadable, extraPosts: max(0, arrivals.count - arrivedWhenComplete),
                latency: LatencySummary(latencies), composed: LatencySummary(composed), delivered: LatencySummary(delivered),
                outboxStatuses: statuses, meanAttemptSeconds: Self.meanAttemptSeconds(metrics), cpu: usage, peakRSS: peakRSS,
                exitStatus: exitStatus, failureLog: exitStatus == 0 ? nil : daemon.logTail(), failures: failures
            ))
        } catch {
            _ = daemon.stop()
            return .failure(error)
        }
    }

    static func seconds(from start: Timestamp, to end: Timestamp) -> Double {
        Double(end.nanoseconds - start.nanoseconds) / 1e9
    }

    /// `{20: 50}` → "50 × 20"; statuses → "48 delivered, 2 retrying".
    static func describe(_ counts: [Int: Int]) -> String {
        counts.isEmpty ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key)" }.joined(separator: ", ")
    }

    static func describe(_ counts: [String: Int]) -> String {
        counts.isEmpty ? "empty" : counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    }

    /// The daemon's mean delivery attempt (`obs_notify_delivery_duration_seconds`: the POST and its answer).
    static func meanAttemptSeconds(_ metrics: DaemonMetrics?) -> Double? {
        guard let metrics, let sum = metrics.value("obs_notify_delivery_duration_seconds_sum"),
              let count = metrics.value("obs_notify_delivery_duration_seconds_count"), count > 0 else { return nil }
        return sum / count
    }
}
