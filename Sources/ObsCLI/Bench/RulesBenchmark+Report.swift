import Foundation
import ObsCore

/// The report of `obs bench rules`: every figure with its parameters, and each target next
/// to the figure it is about.
extension RulesBenchmark {
    func report(_ results: Results) -> String {
        var lines: [String] = []
        lines.append("obs bench rules — \(ProcessInfo.processInfo.activeProcessorCount) cores, \(IngestBenchmark.cpuModel())")
        lines.append("  command    obs bench rules \(commandLine())")
        lines.append("  yardstick  \(Self.grouped(results.yardstick.rowsPerSecond)) rows/s raw SQLite insert of the corpus rows, this run (same table and indexes, no FTS; 1,000 rows/transaction, WAL, synchronous=NORMAL)")
        if let evaluation = results.evaluation { lines += evaluationLines(evaluation) }
        if let throughput = results.throughput { lines += throughputLines(throughput) }
        if let evaluation = results.evaluation, options.trials > 0 { lines += detectionLines(evaluation) }
        if let backtest = results.backtest { lines += backtestLines(backtest) }
        lines.append("")
        let total = results.partSeconds.reduce(0) { $0 + $1.1 }
        lines.append("time per part: " + results.partSeconds.map { "\($0.0) \(String(format: "%.0f", $0.1)) s" }.joined(separator: ", ")
                     + "; total \(String(format: "%.0f", total)) s")
        if options.keepData { lines.append("data kept in \(results.workDirectory)") }
        return lines.joined(separator: "\n") + "\n"
    }

    func commandLine() -> String {
        var parts = ["--seconds \(Self.number(options.seconds))", "--rate \(options.linesPerSecond)", "--connections \(options.pacedConnections)",
                     "--batch-lines \(options.linesPerBatch)", "--rule-count \(options.ruleCount)",
                     "--throughput-seconds \(Self.number(options.throughputSeconds))", "--trials \(options.trials)"]
        if let database = options.existingDatabase { parts.append("--db \(database)") } else {
            parts += ["--observations \(options.observations)", "--services \(options.services)", "--routes \(options.routes)", "--hours \(options.hours)"]
        }
        if options.skipLoad { parts.append("--skip-load") }
        if options.skipBacktest { parts.append("--skip-backtest") }
        if options.keepData { parts.append("--keep-data") }
        return parts.joined(separator: " ")
    }

    func evaluationLines(_ result: EvaluationResult) -> [String] {
        let load = result.load
        var lines = ["", "1. \(result.ruleCount) rules every 10 s while ingesting — daemon `obs serve --rules DIR`, paced load, \(Self.number(load.seconds)) s"]
        lines.append("  rules      \(result.groupCount) groups, one per corpus service, interval 10s: p95(latency{service}[5m]) > 2s for 2m, error_rate{service}[5m] > 1% for 2m,")
        lines.append("             absent(requests{service}[5m]) for 5m, p95(latency{service}[5m]) by (route) > 2s for 5m, then per-route p95 / error_rate / p99 rules over its \(RequestLogCorpus.routes.count) routes (5m)")
        lines.append("  ingest     target \(Self.grouped(Double(options.linesPerSecond))) lines/s over \(options.pacedConnections) connections × \(options.linesPerBatch)-line bodies; achieved \(Self.grouped(load.linesPerSecond)) lines/s"
                     + " (\(Self.grouped(Double(load.acceptedLines))) lines in \(load.requests) requests), \(load.late) bodies sent > 100 ms late, non-200: \(result.loadFailures.isEmpty ? "none" : "\(result.loadFailures)")")
        lines.append("             request p50 \(load.latencies.milliseconds(50)), p99 \(load.latencies.milliseconds(99)), max \(load.latencies.milliseconds(100))"
                     + " — \(load.linesPerSecond >= 0.98 * Double(options.linesPerSecond) ? "pace held" : "PACE NOT HELD")")
        lines.append("  rounds     \(result.rounds.count) complete rounds (every group's evaluation at one boundary) during the load")
        lines += roundLines(result.rounds, indent: "    ")
        if !result.laterRounds.isEmpty {
            lines.append("  later      \(result.laterRounds.count) rounds during part 3 (same daemon, same load continuing, the 5m windows fuller):")
            lines += roundLines(result.laterRounds, indent: "    ")
        }
        lines.append("  cost       daemon CPU \(String(format: "%.2f", result.daemonCPU)) s/s during part 1 (ingest and rules, of \(ProcessInfo.processInfo.activeProcessorCount) cores; other processes \(String(format: "%.2f", result.othersCPU)) s/s\(result.othersCPU > 0.2 ? " — the machine was not quiet" : "")); one rule's evaluation \(result.meanRuleSeconds.map { String(format: "%.1f ms", $0 * 1000) } ?? "?") on average (wall, inside its group)")
        let failures = result.failures.map { Self.grouped($0) } ?? "?"
        let evaluations = result.evaluations.map { Self.grouped($0) } ?? "?"
        let failed = (result.failures ?? 1) + (result.failuresAtEnd ?? 1) > 0
        lines.append("  failures   obs_rules_evaluation_failures_total \(failures) of \(evaluations) evaluations at the end of part 1, \(result.failuresAtEnd.map { Self.grouped($0) } ?? "?") at the end of part 3"
                     + " — target 0: \(Self.verdict(!failed))")
        if result.unhealthy.isEmpty {
            lines.append("  health     no rule reported health: err")
        } else {
            lines.append("  health     \(result.unhealthy.count) rules reported health: err:")
            for (rule, error) in result.unhealthy.sorted(by: { $0.key < $1.key }).prefix(10) { lines.append("    \(rule): \(error)") }
        }
        lines.append("  alerts     \(result.counts.pending) pending, \(result.counts.firing) firing at the end of part 1; \(result.countsAtEnd.pending) pending, \(result.countsAtEnd.firing) firing at the end (the corpus fails 2 % of requests: the 1 % error-rate rules hold)")
        lines.append("  /api/v1/rules  p50 \(result.pollLatencies.milliseconds(50)), max \(result.pollLatencies.milliseconds(100)) per poll (\(result.pollLatencies.sortedSeconds.count) polls, every 2 s)")
        lines.append("  daemon     peak RSS \(Self.mebibytes(result.peakRSS)) during part 1, \(Self.mebibytes(result.peakRSSAtEnd)) by the end of part 3; exit \(result.exitStatus) after SIGINT")
        if let log = result.failureLog { lines.append("  daemon log tail:\n" + log) }
        return lines
    }

    func roundLines(_ rounds: [RuleEvaluationMonitor.Round], indent: String) -> [String] {
        guard !rounds.isEmpty else { return [indent + "(no complete round seen)"] }
        let wall = LatencySummary(rounds.map(\.slowestSeconds)), work = LatencySummary(rounds.map(\.totalSeconds))
        let slowest = rounds.max { $0.slowestSeconds < $1.slowestSeconds }
        let kept = (wall.percentile(100) ?? .infinity) < 10
        return [
            indent + "wall time (slowest group)  p50 \(wall.milliseconds(50)), p99 \(wall.milliseconds(99)), max \(wall.milliseconds(100))"
                + (slowest.map { " (group \($0.slowestGroup))" } ?? "") + " — every round inside the 10 s interval: \(Self.verdict(kept))",
            indent + "work (sum over groups)     p50 \(work.milliseconds(50)), p99 \(work.milliseconds(99)), max \(work.milliseconds(100)) (their wall times overlap: not CPU time)",
        ]
    }

    func throughputLines(_ result: ThroughputResult) -> [String] {
        var lines = ["", "2. Ingest slowdown with \(options.ruleCount) rules — unpaced as obs bench ingest: \(options.throughputConnections) connections × \(options.linesPerBatch)-line bodies, the next when answered, \(Self.number(options.throughputSeconds)) s per run, fresh daemon and data dir each"]
        for (index, run) in result.runs.enumerated() {
            let latencies = LatencySummary(run.result.latencies)
            var line = "  run \(index + 1)  \(run.withRules ? "\(options.ruleCount) rules" : "no rules ")  \(Self.grouped(run.linesPerSecond)) lines/s, request p99 \(latencies.milliseconds(99))"
            if run.withRules {
                line += "; \(run.evaluations.map { Self.grouped($0) } ?? "?") rule evaluations, \(run.failures.map { Self.grouped($0) } ?? "?") failed"
            }
            if !run.result.failures.isEmpty { line += "; non-200: \(run.result.failures)" }
            if run.exitStatus != 0 { line += "; daemon exit \(run.exitStatus)" }
            line += String(format: "; other processes %.2f CPU s/s", run.othersCPU)
            lines.append(line)
        }
        lines.append("  mean       no rules \(Self.grouped(result.mean(withRules: false))), \(options.ruleCount) rules \(Self.grouped(result.mean(withRules: true))) lines/s"
                     + " → slowdown \(String(format: "%.1f", result.slowdown * 100)) % — target ≤ 10 %: \(Self.verdict(result.slowdown <= 0.10))")
        lines.append("             (\(Self.number(options.throughputSeconds)) s runs: each evaluation's 5m windows hold at most \(Self.number(options.throughputSeconds)) s of data)")
        return lines
    }

    func detectionLines(_ result: EvaluationResult) -> [String] {
        let seen = result.detection.compactMap(\.latency)
        let latency = LatencySummary(seen), afterBoundary = LatencySummary(result.detection.compactMap(\.afterBoundary))
        let missed = result.detection.count - seen.count
        var lines = ["", "3. Detection latency — group detect (interval 10s): max(latency{service=~\"detect-.*\"}[1m]) by (service) > 2s, for 0s;"]
        lines.append("             added by POST /-/reload to the daemon of 1 (its \(result.ruleCount) rules and its paced load still running)")
        lines.append("  trials     \(result.detection.count): at a random moment (seeded, uniform over 10 s) one line of a new service detect-N, duration_ms 5000, stamped now; GET /api/v1/alerts every 20 ms until firing")
        lines.append("  latency    p50 \(Self.seconds(latency.percentile(50))), p90 \(Self.seconds(latency.percentile(90))), max \(Self.seconds(latency.percentile(100)))"
                     + (missed > 0 ? ", \(missed) not firing within 30 s" : "")
                     + " — target ≤ 11 s (interval + 1 s): \(Self.verdict(missed == 0 && (latency.percentile(100) ?? .infinity) <= 11))")
        lines.append("  of which   after the first 10 s boundary following the send: p50 \(Self.seconds(afterBoundary.percentile(50))), max \(Self.seconds(afterBoundary.percentile(100)))"
                     + " (negative: the alert was seen before the boundary's wall time)")
        if let load = result.detectionLoad {
            lines.append("  load       \(Self.grouped(load.linesPerSecond)) lines/s achieved meanwhile (\(Self.number(load.seconds)) s), request p99 \(load.latencies.milliseconds(99))")
        }
        return lines
    }

    func backtestLines(_ result: BacktestResult) -> [String] {
        var lines = ["", "4. Backtest — obs rules test --db \(result.databasePath) --since \(result.since) --until \(result.until)"]
        if let built = result.built, let buildSeconds = result.buildSeconds {
            lines.append("  data       \(Self.grouped(Double(options.observations))) requests, \(options.services) services × \(options.routes) routes, \(options.hours) h ending now, built as obs bench query does in \(Self.number(buildSeconds)) s"
                         + " (aggregation \(Self.grouped(Double(options.observations) / built.aggregationSeconds)) requests/s)\(result.rollupBytes.map { ", \($0 / 1_048_576) MiB of rollups" } ?? "")")
        } else {
            lines.append("  data       the existing store \(result.databasePath), its last \(options.hours) h")
        }
        lines.append("  rules      \(result.ruleCount): \(options.services) × p95 > 2s, \(options.services) × error_rate > 1%, \(options.services) × absent(requests), 5 × p95 by (route) > 2s; interval 10s")
        lines.append("  time       \(Self.number(result.seconds)) s end to end (load + check the rules, open read-only, evaluate, episodes) — target < 60 s: \(Self.verdict(result.seconds < 60))")
        lines.append("  work       \(Self.grouped(Double(result.evaluations))) evaluations (rules × instants), \(Self.grouped(result.evaluationsPerSecond)) evaluations/s, \(result.failedEvaluations) failed"
                     + (result.lastError.map { " (\($0))" } ?? ""))
        lines.append("  episodes   \(result.episodes) fired, \(result.pendingOnly) pending only")
        return lines
    }

    static func verdict(_ met: Bool) -> String { met ? "met" : "NOT MET" }

    static func mebibytes(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }

    static func seconds(_ value: Double?) -> String { value.map { String(format: "%.2f s", $0) } ?? "n/a" }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// 123,456
    static func grouped(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        let digits = String(Int(value.rounded()))
        var text = ""
        for (index, digit) in digits.reversed().enumerated() {
            if index > 0, index % 3 == 0, digit != "-" { text.append(",") }
            text.append(digit)
        }
        return String(text.reversed())
    }
}
