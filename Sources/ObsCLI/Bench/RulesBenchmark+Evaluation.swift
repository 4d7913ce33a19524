import Foundation
import ObsCore

/// Parts 1 and 3: the rules evaluated under a paced load, then the detection trials on the
/// same daemon, the load still running.
extension RulesBenchmark {
    struct EvaluationResult {
        var ruleCount: Int
        var groupCount: Int
        var load: PacedLoad.Window
        var loadFailures: [Int: Int]
        var rounds: [RuleEvaluationMonitor.Round]
        /// Rounds during part 3 (the same load continuing, windows fuller).
        var laterRounds: [RuleEvaluationMonitor.Round]
        var evaluations: Double?
        var failures: Double?
        var failuresAtEnd: Double?
        var unhealthy: [String: String]
        var counts: (rules: Int, pending: Int, firing: Int)
        var countsAtEnd: (rules: Int, pending: Int, firing: Int)
        var pollLatencies: LatencySummary
        /// The daemon's CPU seconds per second of part 1 (ingest and rules together, of 2 cores).
        var daemonCPU: Double
        /// CPU seconds per second other processes than the daemon and this one used meanwhile.
        var othersCPU: Double
        /// Mean time of one rule's evaluation in part 1 (`obs_rules_evaluation_duration_seconds`), wall time inside the group.
        var meanRuleSeconds: Double?
        var peakRSS: Int
        var peakRSSAtEnd: Int
        var detection: [DetectionProbe.Trial]
        var detectionLoad: PacedLoad.Window?
        var exitStatus: Int32
        var failureLog: String?
    }

    func measureEvaluation(groups: [BenchRuleFiles.Group], workDirectory: String, bodies: [StampedBody], timer: inout PartTimer,
                           results: inout Results) async throws(CLIError) -> EvaluationResult {
        // Its own copy of the rules: part 3 adds a file here and reloads.
        let rulesDirectory = workDirectory + "/rules-live"
        let rules = try await BenchRuleFiles.write(groups, to: rulesDirectory, file: "bench.yaml")
        progress("1. starting obs serve with \(rules.summary)…")
        let daemon = try BenchDaemon(dataDir: workDirectory + "/live", rules: rulesDirectory)
        let load = PacedLoad(port: daemon.httpPort, linesPerSecond: Double(options.linesPerSecond), bodies: bodies,
                             connections: options.pacedConnections)
        let monitor = RuleEvaluationMonitor(port: daemon.httpPort)
        let watched = Set(groups.map(\.name))

        progress("1. \(options.linesPerSecond) lines/s over \(options.pacedConnections) connections for \(Int(options.seconds)) s, watching /api/v1/rules every 2 s…")
        let startedAt = Timestamp.now()
        let cpuBefore = (daemon: ProcessCPU.seconds(of: daemon.process.processIdentifier), bench: ProcessCPU.seconds(),
                         machine: ProcessCPU.machineBusySeconds())
        load.start()
        monitor.start()
        let first = load.snapshot()
        var previous = first
        let deadline = first.uptimeNanoseconds + UInt64(options.seconds * 1e9)
        while DispatchTime.now().uptimeNanoseconds < deadline {
            try? await Task.sleep(for: .milliseconds(min(200, max(1, Int((deadline - min(deadline, DispatchTime.now().uptimeNanoseconds)) / 1_000_000)))))
            let now = load.snapshot()
            if now.uptimeNanoseconds - previous.uptimeNanoseconds >= 10_000_000_000 || now.uptimeNanoseconds >= deadline {
                let window = load.window(from: previous, to: now)
                let last = monitor.rounds(of: watched, from: startedAt, until: .now()).last
                progress("  \(Int(Double(now.uptimeNanoseconds - first.uptimeNanoseconds) / 1e9)) s: \(Int(window.linesPerSecond)) lines/s"
                         + (last.map { String(format: "; last round: slowest group %.0f ms, sum %.0f ms", $0.slowestSeconds * 1000, $0.totalSeconds * 1000) } ?? ""))
                previous = now
            }
        }
        let last = load.snapshot()
        let endedAt = Timestamp.now()
        let cpu = ProcessCPU.seconds(of: daemon.process.processIdentifier) - cpuBefore.daemon
        let others = ProcessCPU.machineBusySeconds() - cpuBefore.machine - cpu - (ProcessCPU.seconds() - cpuBefore.bench)
        let loadSeconds = max(0.001, Double(last.uptimeNanoseconds - first.uptimeNanoseconds) / 1e9)
        let metrics = await DaemonMetrics.scrape(port: daemon.httpPort)
        let peakRSS = daemon.peakResidentBytes
        let counts = monitor.lastCounts
        timer.lap("1. 500 rules under load", into: &results)

        // Part 3, on the same daemon under the same load.
        var detection: [DetectionProbe.Trial] = []
        var detectionLoad: PacedLoad.Window?
        var reloadedAt = endedAt
        if options.trials > 0 {
            let detectRules = try await BenchRuleFiles.write([BenchRuleFiles.detectionGroup], to: rulesDirectory, file: "detect.yaml")
            progress("3. POST /-/reload with \(detectRules.summary)…")
            try await reload(port: daemon.httpPort)
            reloadedAt = Timestamp.now()
            let before = load.snapshot()
            let probe = DetectionProbe(port: daemon.httpPort, trials: options.trials)
            progress("3. \(options.trials) detection trials (a 5 s request of a new service at a random moment, then GET /api/v1/alerts every 20 ms)…")
            let progress = self.progress
            detection = try await BlockingThread.run("detection") { probe.run(progress: progress) }.get()
            detectionLoad = load.window(from: before, to: load.snapshot())
        }
        await monitor.stop()
        let totals = await load.stop()
        let metricsAtEnd = await DaemonMetrics.scrape(port: daemon.httpPort)
        let peakRSSAtEnd = daemon.peakResidentBytes
        let exitStatus = daemon.stop()
        if options.trials > 0 { timer.lap("3. detection (load continuing)", into: &results) }

        return EvaluationResult(
            ruleCount: rules.ruleCount, groupCount: rules.groups.count, load: load.window(from: first, to: last), loadFailures: totals.failures,
            rounds: monitor.rounds(of: watched, from: startedAt, until: endedAt),
            laterRounds: monitor.rounds(of: watched, from: reloadedAt, until: .now()),
            evaluations: metrics?.value("obs_rules_evaluations_total"),
            failures: metrics?.value("obs_rules_evaluation_failures_total"),
            failuresAtEnd: metricsAtEnd?.value("obs_rules_evaluation_failures_total"),
            unhealthy: monitor.unhealthyRules, counts: counts, countsAtEnd: monitor.lastCounts, pollLatencies: monitor.pollLatencies,
            daemonCPU: cpu / loadSeconds, othersCPU: max(0, others) / loadSeconds,
            meanRuleSeconds: metrics.flatMap { metrics in
                metrics.value("obs_rules_evaluation_duration_seconds_sum").flatMap { sum in
                    metrics.value("obs_rules_evaluation_duration_seconds_count").map { sum / max(1, $0) }
                }
            },
            peakRSS: peakRSS, peakRSSAtEnd: peakRSSAtEnd, detection: detection, detectionLoad: detectionLoad,
            exitStatus: exitStatus, failureLog: exitStatus == 0 ? nil : daemon.logTail()
        )
    }

    /// `POST /-/reload`: 200 once the daemon has loaded the files.
    func reload(port: Int) async throws(CLIError) {
        let reply: Result<BlockingHTTPConnection.Reply, CLIError> = await BlockingThread.run("reload") {
            do throws(CLIError) {
                return .success(try BlockingHTTPConnection(port: port).post(path: "/-/reload", body: [], contentType: "application/json"))
            } catch {
                return .failure(error)
            }
        }
        let answer = try reply.get()
        guard answer.status == 200 else {
            throw CLIError("POST /-/reload answered \(answer.status): \(String(decoding: answer.body, as: UTF8.self))")
        }
    }
}
