import Foundation

/// Part 2: unpaced ingest throughput, exactly as `obs bench ingest` loads a daemon, against
/// daemons with the rules and with none, alternating, a fresh daemon and data dir each.
extension RulesBenchmark {
    struct ThroughputRun {
        var withRules: Bool
        var result: IngestBenchmark.HTTPResult
        /// Rule evaluations the daemon made meanwhile (`obs_rules_evaluations_total`).
        var evaluations: Double?
        var failures: Double?
        var exitStatus: Int32
        /// CPU seconds per second other processes than the daemon and this one used meanwhile.
        var othersCPU: Double

        var linesPerSecond: Double { result.seconds > 0 ? Double(result.acceptedLines) / result.seconds : 0 }
    }

    struct ThroughputResult {
        var runs: [ThroughputRun]

        func mean(withRules: Bool) -> Double {
            let selected = runs.filter { $0.withRules == withRules }.map(\.linesPerSecond)
            return selected.isEmpty ? 0 : selected.reduce(0, +) / Double(selected.count)
        }

        /// 1 − mean with rules ÷ mean without: positive when the rules slow ingest down.
        var slowdown: Double {
            let without = mean(withRules: false)
            return without > 0 ? 1 - mean(withRules: true) / without : 0
        }
    }

    func measureThroughput(rulesDirectory: String, workDirectory: String, ingest: IngestBenchmark,
                           bodies: [StampedBody]) async throws(CLIError) -> ThroughputResult {
        let noRules = try BenchDaemon.emptyRulesDirectory(in: workDirectory)
        var runs: [ThroughputRun] = []
        for (index, withRules) in [false, true, false, true].enumerated() {
            let dataDir = workDirectory + "/throughput-\(index + 1)"
            progress("2. run \(index + 1)/4: \(withRules ? "\(options.ruleCount) rules" : "no rules"), \(options.throughputConnections) connections × \(options.linesPerBatch) lines, unpaced, \(Int(options.throughputSeconds)) s…")
            let daemon = try BenchDaemon(dataDir: dataDir, rules: withRules ? rulesDirectory : noRules)
            let before = (daemon: ProcessCPU.seconds(of: daemon.process.processIdentifier), bench: ProcessCPU.seconds(),
                          machine: ProcessCPU.machineBusySeconds())
            let result = await ingest.loadHTTP(port: daemon.httpPort, bodies: bodies)
            let others = ProcessCPU.machineBusySeconds() - before.machine - (ProcessCPU.seconds(of: daemon.process.processIdentifier) - before.daemon)
                - (ProcessCPU.seconds() - before.bench)
            let metrics = await DaemonMetrics.scrape(port: daemon.httpPort)
            let exitStatus = daemon.stop()
            runs.append(ThroughputRun(withRules: withRules, result: result, evaluations: metrics?.value("obs_rules_evaluations_total"),
                                      failures: metrics?.value("obs_rules_evaluation_failures_total"), exitStatus: exitStatus,
                                      othersCPU: max(0, others) / max(0.001, result.seconds)))
            // A 20 s run stores about a gigabyte and nothing worth keeping (--keep-data keeps its log).
            try? FileManager.default.removeItem(atPath: dataDir)
        }
        return ThroughputResult(runs: runs)
    }
}
