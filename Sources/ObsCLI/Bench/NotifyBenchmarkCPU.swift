import Foundation

/// CPU use during one part of `obs bench notify`, from /proc: the daemon's, and that of every
/// other process but the daemon and the benchmark (the engineer building next door), so the
/// report shows when the machine was not quiet.
struct NotifyBenchmarkCPU {
    private let daemon: Int32
    private let machine = ProcessCPU.machineBusySeconds()
    private let daemonSeconds: Double
    private let bench = ProcessCPU.seconds()
    private let uptime = DispatchTime.now().uptimeNanoseconds

    init(daemon: Int32) {
        self.daemon = daemon
        daemonSeconds = ProcessCPU.seconds(of: daemon)
    }

    /// CPU seconds per second since this was taken: the daemon's, and the other processes'.
    func measure() -> (daemon: Double, others: Double) {
        let seconds = max(0.001, Double(DispatchTime.now().uptimeNanoseconds - uptime) / 1e9)
        let daemonUsed = ProcessCPU.seconds(of: daemon) - daemonSeconds
        let others = ProcessCPU.machineBusySeconds() - machine - daemonUsed - (ProcessCPU.seconds() - bench)
        return (daemonUsed / seconds, max(0, others) / seconds)
    }
}
