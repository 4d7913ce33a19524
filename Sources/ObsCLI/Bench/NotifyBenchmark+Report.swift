import Foundation
import ObsCore

/// The report of `obs bench notify`: every figure with what it measured, each check next to
/// the figure it is about, and at the end the checks that failed.
extension NotifyBenchmark {
    func report(_ results: Results) -> String {
        var lines: [String] = []
        lines.append("obs bench notify — \(ProcessInfo.processInfo.activeProcessorCount) cores, \(IngestBenchmark.cpuModel()), started \(results.startedAt.rfc3339.prefix(19))Z")
        lines.append("  command    obs bench notify \(commandLine())")
        lines.append("  machine    load average \(results.loadBefore) before, \(results.loadAfter) after (/proc/loadavg: 1, 5, 15 min)")
        lines.append("  yardstick  \(RulesBenchmark.grouped(results.yardstick.rowsPerSecond)) rows/s raw SQLite insert of request-log rows, this run (logs table and indexes, no FTS; 1,000 rows/transaction, WAL, synchronous=NORMAL)")
        lines.append("             \(RulesBenchmark.grouped(results.commitYardstick.perSecond)) single-row UPDATE transactions/s on the outbox table, this run (\(RulesBenchmark.grouped(Double(results.commitYardstick.rows))) rows; what recording one delivery costs at least)")
        if let burst = results.burst { lines += burstLines(burst) }
        if let outbox = results.outbox { lines += outboxLines(outbox, yardstick: results.commitYardstick) }
        if let down = results.down { lines += downLines(down) }
        lines.append("")
        let failures = results.failures
        if failures.isEmpty {
            lines.append("checks     all passed")
        } else {
            lines.append("checks     \(failures.count) FAILED:")
            for failure in failures { lines.append("  - " + failure) }
        }
        lines.append("time       \(Self.duration(results.seconds.rounded())) in all")
        if options.keepData { lines.append("data kept in \(results.workDirectory) (daemon data directories, their logs NAME.log, configs and rules)") }
        return lines.joined(separator: "\n") + "\n"
    }

    func commandLine() -> String {
        var parts = ["--scenario \(options.scenario.rawValue)"]
        if options.scenario != .burst { parts.append("--down \(Self.duration(options.downSeconds))") }
        if options.keepData { parts.append("--keep-data") }
        return parts.joined(separator: " ")
    }

    func burstLines(_ result: BurstResult) -> [String] {
        var lines = ["", "1. Burst — \(RulesBenchmark.grouped(Double(result.alerts))) alerts firing at once in \(result.groups) groups; one receiver (format alertmanager, max_in_flight 4) on 127.0.0.1"]
        lines.append("  rule       \(result.rule), interval 1s, for 0s; \(options.burstServices) services × \(options.burstRoutes) routes")
        lines.append("  route      \(result.route)")
        lines.append("  ingest     \(RulesBenchmark.grouped(Double(result.ingestLines))) requests of 3 s in one POST, \(String(format: "%.1f", result.ingestSeconds * 1000)) ms, sent 50 ms after a 1 s boundary; "
                     + "firing transitions: \(Self.instants(result.firingInstants))")
        lines.append("  evaluation \(result.evaluationSeconds.map { String(format: "%.1f ms", $0 * 1000) } ?? "not seen") — the firing evaluation's own time (evaluationTime: the query, the state changes and the transaction that stores them and puts the alerts in their groups)")
        lines.append("  POSTs      \(result.posts) received, expected exactly \(result.groups): \(Self.describe(result.alertsPerPost)) alerts, \(result.distinctKeys) distinct idempotency keys, "
                     + "\(result.extraPosts) more in the 3 s after; outbox \(Self.describe(result.outboxStatuses))")
        lines.append("  latency    firing instant → arrival of the POST carrying the alert, per alert (\(result.latency.sortedSeconds.count)): "
                     + "p50 \(result.latency.milliseconds(50)), p99 \(result.latency.milliseconds(99)), max \(result.latency.milliseconds(100))")
        lines.append("    of which firing instant → composed (waiting for the evaluation, the evaluation, the dispatcher), per notification: "
                     + "p50 \(result.composed.milliseconds(50)), max \(result.composed.milliseconds(100))")
        lines.append("             composed → arrival (the rest of the dispatcher's transaction, the outbox and the POST), per notification: min \(result.delivered.milliseconds(0)), "
                     + "p50 \(result.delivered.milliseconds(50)), p99 \(result.delivered.milliseconds(99)), max \(result.delivered.milliseconds(100))")
        lines.append("  daemon     peak RSS \(RulesBenchmark.mebibytes(result.peakRSS)); CPU \(String(format: "%.2f", result.cpu.daemon)) s/s"
                     + "\(result.meanAttemptSeconds.map { String(format: "; mean delivery attempt %.1f ms", $0 * 1000) } ?? ""); "
                     + Self.others(result.cpu.others) + "; exit \(result.exitStatus) after SIGINT")
        if let log = result.failureLog { lines.append("  daemon log tail:\n" + log) }
        lines.append("  check      \(result.failures.isEmpty ? "ok" : "FAILED: " + result.failures.joined(separator: "; "))")
        return lines
    }

    func outboxLines(_ result: OutboxResult, yardstick: CommitYardstick) -> [String] {
        var lines = ["", "1b. Outbox throughput — \(RulesBenchmark.grouped(Double(result.alerts))) alerts firing at once in \(RulesBenchmark.grouped(Double(result.groups))) groups; one receiver (max_in_flight 4)"]
        lines.append("  rule       \(result.rule), interval 10s, for 0s; \(options.outboxServices) services × \(options.outboxRoutes) routes × \(options.outboxMethods) methods")
        lines.append("  route      \(result.route)")
        lines.append("  ingest     \(RulesBenchmark.grouped(Double(result.ingestLines))) requests of 3 s in one POST, \(String(format: "%.0f", result.ingestSeconds * 1000)) ms; firing transitions: \(Self.instants(result.firingInstants))")
        lines.append("  evaluation \(result.evaluationSeconds.map { String(format: "%.0f ms", $0 * 1000) } ?? "not seen") (the firing evaluation's evaluationTime)")
        lines.append("  POSTs      \(RulesBenchmark.grouped(Double(result.posts))) received, expected exactly \(RulesBenchmark.grouped(Double(result.groups))): \(Self.describe(result.alertsPerPost)) alerts, "
                     + "\(RulesBenchmark.grouped(Double(result.distinctKeys))) distinct keys, \(result.extraPosts) more in the 3 s after; outbox \(Self.describe(result.outboxStatuses))")
        let share = yardstick.perSecond > 0 ? String(format: " (%.0f %% of the outbox yardstick)", 100 * result.perSecond / yardstick.perSecond) : ""
        lines.append("  throughput \(RulesBenchmark.grouped(Double(result.posts))) notifications from the first arrival to the last in \(String(format: "%.2f", result.spanSeconds)) s: "
                     + "\(RulesBenchmark.grouped(result.perSecond)) notifications/s, \(RulesBenchmark.grouped(result.perSecond * Double(options.outboxMethods))) alerts/s\(share)")
        lines.append("  timeline   firing instant → first composed \(RulesBenchmark.seconds(result.firstComposedSeconds)); first → last composed \(RulesBenchmark.seconds(result.composingSeconds)); "
                     + "firing instant → first arrival \(RulesBenchmark.seconds(result.firstArrivalSeconds))")
        lines.append("  latency    composed (outbox time) → arrival, per notification (\(result.delivered.sortedSeconds.count)): p50 \(Self.seconds(result.delivered.percentile(50))), "
                     + "p99 \(Self.seconds(result.delivered.percentile(99))), max \(Self.seconds(result.delivered.percentile(100)))")
        lines.append("  daemon     peak RSS \(RulesBenchmark.mebibytes(result.peakRSS)); CPU \(String(format: "%.2f", result.cpu.daemon)) s/s"
                     + "\(result.meanAttemptSeconds.map { String(format: "; mean delivery attempt %.1f ms", $0 * 1000) } ?? ""); "
                     + Self.others(result.cpu.others) + "; exit \(result.exitStatus) after SIGINT")
        if let log = result.failureLog { lines.append("  daemon log tail:\n" + log) }
        lines.append("  check      \(result.failures.isEmpty ? "ok" : "FAILED: " + result.failures.joined(separator: "; "))")
        return lines
    }

    func downLines(_ result: DownResult) -> [String] {
        let audit = result.audit
        var lines = ["", "2. Receiver down — connection refused (port bound, not listening) while \(result.services) groups fire and resolve; then the receiver listens on that port"]
        lines.append("  rule       \(result.rule), interval 1s, for 0s; \(result.services) services × \(result.routes) routes")
        lines.append("  route      \(result.route)")
        lines.append("  receiver   backoff \(result.backoff), max_in_flight 4, timeout 10s (defaults but the backoff)")
        lines.append("  load       \(result.buckets) buckets of 10 s (--down \(Self.duration(result.downSeconds))), one POST 0.3 s into each: every service's routes slow (3 × 3 s) in one bucket of three, staggered, fast (20 × 20 ms) in the others")
        lines.append("  outage     \(Self.duration(result.outageSeconds.rounded())) from the first load request to the receiver listening (refused since the daemon started): "
                     + "the load \(String(format: "%.1f", result.loadSeconds)) s, then \(String(format: "%.1f", result.settleSeconds)) s until every alert had resolved and been composed; "
                     + "port probes refused \(result.refusalProbes.refused) of \(result.refusalProbes.total)")
        lines.append("  alerts     \(RulesBenchmark.grouped(Double(result.firingTransitions))) firing and \(RulesBenchmark.grouped(Double(result.resolvedTransitions))) resolved transitions")
        lines.append("  backlog    \(RulesBenchmark.grouped(Double(result.backlog))) notifications when the receiver came back (\(audit.firingNotifications) firing, \(audit.resolvedNotifications) resolved; "
                     + "\(Self.describe(result.backlogStatuses))) in \(audit.groups) groups; \(RulesBenchmark.grouped(Double(result.attemptsDuringOutage))) attempts during the outage, at most \(result.maxAttempts) for one")
        lines.append("  attempts   \(String(format: "%.2f", Double(result.attemptsDuringOutage) / max(1, result.outageSeconds))) failed attempts/s during the outage; "
                     + "mean failed attempt \(Self.seconds(result.failedAttemptSeconds)) (obs_notify_delivery_duration_seconds; the connection is refused at once)")
        for (error, count) in result.errors.prefix(3) {
            lines.append("             last error × \(count): \(error.count > 160 ? String(error.prefix(160)) + "…" : error)")
        }
        lines.append("  drain      first arrival \(RulesBenchmark.seconds(result.firstArrival)) after the receiver came back, last \(RulesBenchmark.seconds(result.lastArrival)); "
                     + "outbox all finished after \(RulesBenchmark.seconds(result.outboxFinished))"
                     + (result.drainRate.map { String(format: "; %.1f notifications/s from the first arrival to the last", $0) } ?? ""))
        lines.append("             each group's last arrival after the receiver came back: p50 \(Self.seconds(result.groupDrain.percentile(50))), max \(Self.seconds(result.groupDrain.percentile(100)))"
                     + " (one notification per group at a time, oldest first)")
        lines.append("  delivery   \(audit.statuses["delivered"] ?? 0) of \(audit.notifications) delivered (\(Self.describe(audit.statuses))); \(audit.arrivals) POSTs; keys: "
                     + "\(audit.duplicateKeys) duplicated (\(audit.duplicateArrivals) extra POSTs), \(audit.missingKeys) missing, \(audit.unknownArrivals) unknown")
        lines.append("  order      \(audit.orderViolations) violations of the outbox order within groups; \(audit.groupKeyMismatches) groupKey mismatches; "
                     + "groups without a firing / resolved notification: \(audit.groupsWithoutFiring.count) / \(audit.groupsWithoutResolved.count)")
        lines.append("  daemon     peak RSS \(RulesBenchmark.mebibytes(result.peakRSS)); CPU \(String(format: "%.2f", result.cpuOutage.daemon)) s/s during the outage, "
                     + "\(String(format: "%.2f", result.cpuDrain.daemon)) s/s during the drain; \(Self.others(max(result.cpuOutage.others, result.cpuDrain.others))) (the larger of the two parts)"
                     + "; exit \(result.exitStatus) after SIGINT")
        if let log = result.failureLog { lines.append("  daemon log tail:\n" + log) }
        lines.append("  check      \(result.failures.isEmpty ? "ok" : "FAILED: " + result.failures.joined(separator: "; "))")
        return lines
    }

    /// "all 1,000 at 2026-…Z" or "600 at …, 400 at …".
    static func instants(_ counts: [Timestamp: Int]) -> String {
        guard !counts.isEmpty else { return "none" }
        if counts.count == 1, let only = counts.first { return "all \(RulesBenchmark.grouped(Double(only.value))) at one instant, \(only.key.rfc3339)" }
        return counts.sorted { $0.key < $1.key }.prefix(5).map { "\($0.value) at \($0.key.rfc3339)" }.joined(separator: ", ")
            + (counts.count > 5 ? ", …" : "")
    }

    static func seconds(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        return value < 1 ? String(format: "%.1f ms", value * 1000) : String(format: "%.2f s", value)
    }

    static func others(_ cpu: Double) -> String {
        String(format: "other processes %.2f CPU s/s", cpu) + (cpu > 0.2 ? " — the machine was NOT quiet" : "")
    }
}
