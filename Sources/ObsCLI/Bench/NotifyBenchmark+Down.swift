import Foundation
import ObsCore

/// Scenario 2: the receiver is down. Its port refuses connections (bound, not listening)
/// for `downSeconds` while 20 groups fire and resolve every 30 s; once every alert has
/// resolved and been composed, the receiver listens on that port. Then: every notification
/// delivered, each key once, each group in order, and how long the backlog took.
///
/// The flapping: rule `p95(latency[10s]) by (service, route) > 1s`, interval 1s. A 10 s
/// window at an instant inside a 10 s bucket is that bucket alone, so a service whose
/// requests in a bucket are slow fires one second into it and resolves one second into the
/// next, where its requests are fast. Each service is slow in one bucket of three, the
/// services staggered, so every 10 s a third of the groups fire and another third resolve.
extension NotifyBenchmark {
    struct DownResult {
        var rule: String
        var route: String
        var backoff: String
        var services: Int
        var routes: Int
        var downSeconds: Double
        var loadSeconds: Double
        var settleSeconds: Double
        /// From the first load request to the receiver listening.
        var outageSeconds: Double
        var buckets: Int
        /// The daemon's mean delivery attempt during the outage (all of them failures).
        var failedAttemptSeconds: Double?
        var refusalProbes: (refused: Int, total: Int)
        var firingTransitions: Int
        var resolvedTransitions: Int
        /// The outbox when the receiver came back.
        var backlog: Int
        var backlogStatuses: [String: Int]
        var attemptsDuringOutage: Int
        var maxAttempts: Int
        var errors: [(String, Int)]
        var drainComplete: Bool
        /// After the receiver came back: the first and the last arrival, and the outbox all finished.
        var firstArrival: Double?
        var lastArrival: Double?
        var outboxFinished: Double?
        /// Per group, its last arrival after the receiver came back: p50 and max over groups.
        var groupDrain: LatencySummary
        var audit: NotifyBenchmarkAudit
        var cpuOutage: (daemon: Double, others: Double)
        var cpuDrain: (daemon: Double, others: Double)
        var peakRSS: Int
        var exitStatus: Int32
        var failureLog: String?
        var failures: [String]

        /// Backlog notifications per second from the first arrival to the last.
        var drainRate: Double? {
            guard let first = firstArrival, let last = lastArrival, last > first else { return nil }
            return Double(audit.arrivals - 1) / (last - first)
        }
    }

    func measureDown(workDirectory: String) async throws(CLIError) -> DownResult {
        let closed = try NotifyBenchmarkClosedPort()
        guard closed.refusesConnections() else { throw CLIError("127.0.0.1:\(closed.port) does not refuse connections") }
        let group = "notify-down"
        let rule = BenchRuleFiles.Rule(alert: "DownLatencyHigh", expr: "p95(latency[10s]) by (service, route) > 1s", holdFor: "0s",
                                       summary: "{{ $labels.service }} {{ $labels.route }} p95 is {{ $value }}")
        var setup = NotifyBenchmarkDaemon(name: "down", rules: BenchRuleFiles.Group(name: group, interval: "1s", rules: [rule]),
                                          receiverURL: "http://127.0.0.1:\(closed.port)/hook", groupBy: ["alertname", "service"],
                                          groupInterval: "1s")
        setup.backoff = ("100ms", "2s")
        progress("2. receiver down: starting obs serve (rule \(rule.expr), interval 1s; route \(setup.routeSummary); receiver 127.0.0.1:\(closed.port), refusing)…")
        let daemon = try await setup.start(in: workDirectory)
        let result = await runDown(daemon: daemon, closed: closed, group: group, rule: rule, setup: setup)
        return try result.get()
    }

    private func runDown(daemon: BenchDaemon, closed: NotifyBenchmarkClosedPort, group: String, rule: BenchRuleFiles.Rule,
                         setup: NotifyBenchmarkDaemon) async -> Result<DownResult, CLIError> {
        var recorder: NotifyBenchmarkRecorder?
        do throws(CLIError) {
            let api = NotifyBenchmarkAPI(port: daemon.httpPort)
            try await waitForFirstEvaluation(api, group: group)
            let series = NotifyBenchmarkLoad.series(prefix: "down", services: options.downServices, routes: options.downRoutes)
            let services = Dictionary(grouping: series, by: \.service).sorted { $0.key < $1.key }.map(\.value)
            let load = NotifyBenchmarkLoad(port: daemon.httpPort)
            let outageCPU = NotifyBenchmarkCPU(daemon: daemon.process.processIdentifier)

            // The outage, with the alerts flapping: --down rounded up to whole 10 s buckets.
            let buckets = max(1, Int((options.downSeconds / 10).rounded(.up)))
            progress("2. receiver down: \(buckets) buckets of 10 s, each of \(options.downServices) services slow in one bucket of three…")
            var loadStarted = DispatchTime.now().uptimeNanoseconds
            var lastBoundary = Timestamp.now()
            var probes = (refused: 0, total: 0)
            var nextReport = 60
            for index in 0..<buckets {
                let boundary = await NotifyBenchmarkLoad.sleep(untilAfterBoundaryOf: 10, offset: 0.3)
                if index == 0 { loadStarted = DispatchTime.now().uptimeNanoseconds }
                lastBoundary = boundary
                let bucket = Int(boundary.nanoseconds / 10_000_000_000)
                let slow = services.enumerated().filter { (bucket + $0.offset) % 3 == 0 }.flatMap(\.element)
                let fast = services.enumerated().filter { (bucket + $0.offset) % 3 != 0 }.flatMap(\.element)
                let now = Timestamp.now()
                let body = NotifyBenchmarkLoad.body(slow.map { ($0, durationMs: 3000) }, linesPerSeries: 3, now: now)
                    + NotifyBenchmarkLoad.body(fast.map { ($0, durationMs: 20) }, linesPerSeries: 20, now: now.adding(nanoseconds: 1_000_000))
                _ = try await load.post(body, lines: slow.count * 3 + fast.count * 20)
                let elapsed = DispatchTime.now().uptimeNanoseconds
                if (index + 1) * 10 >= nextReport {
                    nextReport += 60
                    probes.total += 1
                    if closed.refusesConnections() { probes.refused += 1 }
                    let outbox = try await api.notifications()
                    let statuses = Self.describe(Dictionary(grouping: outbox, by: \.status).mapValues(\.count))
                    progress("  \(Int(Double(elapsed - loadStarted) / 1e9)) s: \(outbox.count) notifications composed (\(statuses)), "
                             + "\(outbox.reduce(0) { $0 + $1.attempts }) attempts; port \(closed.port) refuses: \(probes.refused == probes.total ? "yes" : "NO")")
                }
            }
            // The last bucket runs to its end.
            let lastEnd = lastBoundary.adding(nanoseconds: 10_000_000_000).nanoseconds - Timestamp.now().nanoseconds
            if lastEnd > 0 { try? await Task.sleep(for: .nanoseconds(lastEnd)) }
            let loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - loadStarted) / 1e9

            // Every alert resolves once its last slow bucket has passed; wait for that and for the outbox to stop growing.
            progress("2. load stopped; waiting for every alert to resolve and be composed (the receiver still down)…")
            let settleStarted = DispatchTime.now().uptimeNanoseconds
            var backlog = try await api.notifications()
            var stableSince = DispatchTime.now().uptimeNanoseconds
            while Double(DispatchTime.now().uptimeNanoseconds - settleStarted) / 1e9 < 120 {
                try? await Task.sleep(for: .milliseconds(500))
                let active = try await api.activeAlertCount()
                let now = try await api.notifications()
                if now.count != backlog.count || active > 0 { stableSince = DispatchTime.now().uptimeNanoseconds }
                backlog = now
                if active == 0, DispatchTime.now().uptimeNanoseconds - stableSince >= 3_000_000_000 { break }
            }
            probes.total += 1
            if closed.refusesConnections() { probes.refused += 1 }
            let settleSeconds = Double(DispatchTime.now().uptimeNanoseconds - settleStarted) / 1e9
            let stillActive = try await api.activeAlertCount()
            let outage = outageCPU.measure()
            let failedAttemptSeconds = Self.meanAttemptSeconds(await DaemonMetrics.scrape(port: daemon.httpPort))

            // The receiver comes back on the same port.
            closed.release()
            recorder = try await NotifyBenchmarkRecorder.start(port: closed.port)
            let back = Timestamp.now()
            let outageSeconds = Double(DispatchTime.now().uptimeNanoseconds - loadStarted) / 1e9
            let drainCPU = NotifyBenchmarkCPU(daemon: daemon.process.processIdentifier)
            progress("2. receiver listening on 127.0.0.1:\(closed.port) after \(Self.duration(outageSeconds)); backlog \(backlog.count) notifications…")
            guard let receiver = recorder else { throw CLIError("the receiver did not start") }
            let expected = backlog.count
            let complete = await receiver.waitFor(expected, stallTimeout: options.drainStallSeconds, limit: options.drainLimitSeconds) { [progress] seen in
                progress("  \(seen) of \(expected) arrived, \(Int(Self.seconds(from: back, to: .now()))) s after the receiver came back")
            }
            var outbox = try await api.notifications()
            var outboxFinished: Double?
            for _ in 0..<120 {
                if !outbox.contains(where: { $0.status == "pending" || $0.status == "retrying" }) {
                    outboxFinished = outbox.compactMap(\.finished).max().map { Self.seconds(from: back, to: $0) }
                    break
                }
                try? await Task.sleep(for: .milliseconds(500))
                outbox = try await api.notifications()
            }
            // Late duplicates would come now.
            try? await Task.sleep(for: .seconds(5))
            outbox = try await api.notifications()
            let drain = drainCPU.measure()
            let arrivals = receiver.arrivals
            let firing = try await api.transitions(to: "firing").count
            let resolved = try await api.transitions(to: "resolved").count
            let peakRSS = daemon.peakResidentBytes
            let exitStatus = daemon.stop()
            await receiver.stop()

            let audit = NotifyBenchmarkAudit(outbox: outbox, arrivals: arrivals)
            var errors: [String: Int] = [:]
            for entry in backlog { errors[entry.lastError ?? "(no attempt yet)", default: 0] += 1 }
            var failures = audit.failures
            if audit.groups != options.downServices {
                failures.append("notifications in \(audit.groups) groups, expected \(options.downServices) (every service is slow once in 30 s: --down at least 30s)")
            }
            if !complete { failures.append("only \(receiver.count) of \(expected) notifications arrived after the receiver came back (stalled \(Int(options.drainStallSeconds)) s or over \(Int(options.drainLimitSeconds)) s)") }
            if outbox.count != backlog.count { failures.append("the outbox grew from \(backlog.count) to \(outbox.count) after the receiver came back (the alerts had not settled)") }
            if stillActive > 0 { failures.append("\(stillActive) alerts still active when the receiver came back") }
            let deliveredEarly = backlog.filter { !($0.status == "pending" || $0.status == "retrying") }
            if !deliveredEarly.isEmpty {
                failures.append("\(deliveredEarly.count) notifications were \(Self.describe(Dictionary(grouping: deliveredEarly, by: \.status).mapValues(\.count))) while the receiver was down")
            }
            if probes.refused != probes.total { failures.append("the receiver's port accepted a connection during the outage") }
            if exitStatus != 0 { failures.append("the daemon exited \(exitStatus) after SIGINT") }

            return .success(DownResult(
                rule: rule.expr, route: setup.routeSummary, backoff: "{initial: 100ms, max: 2s}", services: options.downServices,
                routes: options.downRoutes, downSeconds: options.downSeconds, loadSeconds: loadSeconds, settleSeconds: settleSeconds,
                outageSeconds: outageSeconds, buckets: buckets, failedAttemptSeconds: failedAttemptSeconds, refusalProbes: probes, firingTransitions: firing,
                resolvedTransitions: resolved, backlog: backlog.count,
                backlogStatuses: Dictionary(grouping: backlog, by: \.status).mapValues(\.count),
                attemptsDuringOutage: backlog.reduce(0) { $0 + $1.attempts }, maxAttempts: backlog.map(\.attempts).max() ?? 0,
                errors: errors.sorted { $0.value > $1.value }.map { ($0.key, $0.value) },
                drainComplete: complete,
                firstArrival: arrivals.map(\.receivedAt).min().map { Self.seconds(from: back, to: $0) },
                lastArrival: arrivals.map(\.receivedAt).max().map { Self.seconds(from: back, to: $0) },
                outboxFinished: outboxFinished,
                groupDrain: LatencySummary(audit.lastArrivalPerGroup.values.map { Self.seconds(from: back, to: $0) }),
                audit: audit, cpuOutage: outage, cpuDrain: drain, peakRSS: peakRSS, exitStatus: exitStatus,
                failureLog: exitStatus == 0 ? nil : daemon.logTail(), failures: failures
            ))
        } catch {
            _ = daemon.stop()
            if let recorder { await recorder.stop() }
            return .failure(error)
        }
    }

    /// 600 → "10m", 90 → "1m30s", 40 → "40s", 12.5 → "12.5s".
    static func duration(_ seconds: Double) -> String {
        guard seconds == seconds.rounded() else { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds)
        guard whole >= 60 else { return "\(whole)s" }
        return "\(whole / 60)m" + (whole % 60 == 0 ? "" : "\(whole % 60)s")
    }
}

