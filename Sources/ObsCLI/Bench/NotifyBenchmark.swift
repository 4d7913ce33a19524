import Foundation
import ObsCore
import ObsStorage

/// `obs bench notify`: what notifications cost and whether they survive a receiver outage,
/// measured on real daemons (this binary as `obs serve`, a child process) posting over real
/// sockets to a webhook receiver in this process, everything on 127.0.0.1.
///
/// 1. Burst: 1,000 alerts of one rule fire at one evaluation across 50 groups
///    (`group_wait: 0s`): the time from each alert's firing instant to the arrival of the
///    POST that carries it, checked to be exactly 50 POSTs of 20 alerts. Then the outbox's
///    throughput: 10,000 alerts in 2,000 groups at once, notifications delivered per second
///    and each one's composed → delivered time.
/// 2. Receiver down: the receiver's port refuses connections for `downSeconds` while 20
///    groups fire and resolve every 30 s; then the receiver listens. Every notification must
///    end delivered, each idempotency key arrive exactly once, and each group's
///    notifications arrive in the outbox's order; and how long the backlog took.
public struct NotifyBenchmark: Sendable {
    public enum Scenario: String, Sendable, CaseIterable {
        case burst, down, all
    }

    public struct Options: Sendable {
        public var scenario = Scenario.all
        /// Scenario 2: how long the receiver is down while the alerts flap (real time).
        public var downSeconds: Double = 600
        public var keepData = false
        /// Scenario 1: services × routes, one alert each, grouped by service.
        public var burstServices = 50
        public var burstRoutes = 20
        /// Scenario 1, outbox throughput: services × routes × methods alerts, grouped by (service, route).
        public var outboxServices = 100
        public var outboxRoutes = 20
        public var outboxMethods = 5
        /// Scenario 2: services × routes alerts, grouped by service.
        public var downServices = 20
        public var downRoutes = 5
        /// After the receiver is back: give up when nothing arrives for this long, or after `drainLimitSeconds`.
        public var drainStallSeconds: Double = 180
        public var drainLimitSeconds: Double = 1800
        public var yardstickRows = 300_000
        public var yardstickCommits = 5_000

        public init() {}
    }

    /// The report, and every check that failed (empty: all passed).
    public struct Outcome: Sendable {
        public var report: String
        public var failures: [String]
    }

    let options: Options
    let progress: @Sendable (String) -> Void

    public init(options: Options, progress: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.progress = progress
    }

    /// `10m`, `90s`, `1h` → seconds; nil when it is not a positive duration.
    public static func seconds(_ text: String) -> Double? {
        guard let duration = DurationText.duration(text), duration > .zero else { return nil }
        return Double(duration.totalNanoseconds) / 1e9
    }

    struct Results {
        var yardstick: SQLiteInsertYardstick.Result
        var commitYardstick: CommitYardstick
        var burst: BurstResult?
        var outbox: OutboxResult?
        var down: DownResult?
        var loadBefore: String
        var loadAfter = ""
        var startedAt: Timestamp
        var seconds = 0.0
        var workDirectory: String

        var failures: [String] {
            (burst?.failures ?? []).map { "burst: " + $0 } + (outbox?.failures ?? []).map { "outbox: " + $0 }
                + (down?.failures ?? []).map { "receiver down: " + $0 }
        }
    }

    public func run() async throws(CLIError) -> Outcome {
        let startedAt = Timestamp.now()
        let started = DispatchTime.now().uptimeNanoseconds
        let loadBefore = Self.loadAverage()
        let workDirectory = try BenchDirectory.fresh("obs-bench-notify")
        defer { if !options.keepData { try? FileManager.default.removeItem(atPath: workDirectory) } }

        progress("measuring the SQLite yardsticks (\(options.yardstickRows) log rows; \(options.yardstickCommits) single-row outbox transactions)…")
        var corpus = RequestLogCorpus()
        let now = Timestamp.now().nanoseconds / 1_000
        let bodies = (0..<40).map { corpus.batch(lines: 1000, epochMicroseconds: now + Int64($0 * 1000)) }
        var ingestOptions = IngestBenchmark.Options()
        ingestOptions.yardstickRows = options.yardstickRows
        let yardstick = try IngestBenchmark(options: ingestOptions, progress: progress).measureYardstick(bodies: bodies, directory: workDirectory)
        let commits = try Self.measureCommits(rows: options.yardstickCommits, directory: workDirectory)
        var results = Results(yardstick: yardstick, commitYardstick: commits, loadBefore: loadBefore, startedAt: startedAt,
                              workDirectory: workDirectory)

        if options.scenario != .down {
            results.burst = try await measureBurst(workDirectory: workDirectory)
            results.outbox = try await measureOutbox(workDirectory: workDirectory)
        }
        if options.scenario != .burst {
            results.down = try await measureDown(workDirectory: workDirectory)
        }
        results.loadAfter = Self.loadAverage()
        results.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return Outcome(report: report(results), failures: results.failures)
    }

    /// `/proc/loadavg`'s three averages.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// Waits until the daemon's rule group has been evaluated once, so the engine is running.
    func waitForFirstEvaluation(_ api: NotifyBenchmarkAPI, group: String) async throws(CLIError) {
        for _ in 0..<300 {
            if try await api.evaluation(ofGroup: group).lastEvaluation != nil { return }
            try? await Task.sleep(for: .milliseconds(100))
        }
        throw CLIError("rule group \(group) was not evaluated within 30 s of the daemon's start")
    }

    /// Polls the group (without its alerts) until it has evaluated `instant`: how long that
    /// evaluation took, or nil when a later one was seen first or none within `limit` seconds.
    func evaluationTime(_ api: NotifyBenchmarkAPI, group: String, at instant: Timestamp, limit: Double = 15) async throws(CLIError) -> Double? {
        let started = DispatchTime.now().uptimeNanoseconds
        while Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 < limit {
            let evaluation = try await api.evaluation(ofGroup: group)
            if let last = evaluation.lastEvaluation, last >= instant { return last == instant ? evaluation.seconds : nil }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}
