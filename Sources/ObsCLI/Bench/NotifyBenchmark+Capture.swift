import Foundation
import ObsCore

/// What both burst scenarios read once their POSTs have arrived (and 3 s more have passed, to
/// catch any extra): the daemon's CPU, the arrivals, the firing history, the outbox and the
/// rules' health, then the daemon is stopped; and the counts their checks compare.
extension NotifyBenchmark {
    struct BurstCapture {
        var usage: (daemon: Double, others: Double)
        var arrivals: [NotifyBenchmarkRecorder.Arrival]
        var payloads: [NotifyBenchmarkPayload]
        var unreadable: Int
        var history: [NotifyBenchmarkAPI.Transition]
        var unhealthy: [String]
        var outbox: [NotifyBenchmarkAPI.Notification]
        var metrics: DaemonMetrics?
        var peakRSS: Int
        var exitStatus: Int32
        /// Firing transitions by evaluation instant.
        var instants: [Timestamp: Int]
        /// How many POSTs carried how many alerts.
        var perPost: [Int: Int]
        var keys: Set<String>
        var statuses: [String: Int]
    }

    func captureAfterBurst(daemon: BenchDaemon, recorder: NotifyBenchmarkRecorder, api: NotifyBenchmarkAPI,
                           cpu: NotifyBenchmarkCPU, group: String) async throws(CLIError) -> BurstCapture {
        try? await Task.sleep(for: .seconds(3))
        let usage = cpu.measure()
        let arrivals = recorder.arrivals
        let history = try await api.transitions(to: "firing")
        let unhealthy = try await api.evaluation(ofGroup: group, withRules: true).unhealthy
        let outbox = try await api.notifications()
        let metrics = await DaemonMetrics.scrape(port: daemon.httpPort)
        let peakRSS = daemon.peakResidentBytes
        let exitStatus = daemon.stop()

        let (payloads, unreadable) = NotifyBenchmarkPayload.parse(arrivals)
        var instants: [Timestamp: Int] = [:]
        for transition in history { instants[transition.time, default: 0] += 1 }
        var perPost: [Int: Int] = [:]
        for payload in payloads { perPost[payload.alerts.count, default: 0] += 1 }
        return BurstCapture(
            usage: usage, arrivals: arrivals, payloads: payloads, unreadable: unreadable, history: history, unhealthy: unhealthy,
            outbox: outbox, metrics: metrics, peakRSS: peakRSS, exitStatus: exitStatus, instants: instants, perPost: perPost,
            keys: Set(arrivals.compactMap(\.idempotencyKey)), statuses: Dictionary(grouping: outbox, by: \.status).mapValues(\.count)
        )
    }

    /// Starts the scenario's daemon with `recorder` as its receiver, runs `scenario`, and
    /// stops the recorder whatever happens.
    func withBurstDaemon<Result>(
        _ setup: NotifyBenchmarkDaemon, recorder: NotifyBenchmarkRecorder, in workDirectory: String,
        _ scenario: (BenchDaemon) async -> Swift.Result<Result, CLIError>
    ) async throws(CLIError) -> Result {
        let daemon: BenchDaemon
        do {
            daemon = try await setup.start(in: workDirectory)
        } catch {
            await recorder.stop()
            throw error
        }
        let result = await scenario(daemon)
        await recorder.stop()
        return try result.get()
    }
}
