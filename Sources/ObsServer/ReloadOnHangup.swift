import ObsRules
import ServiceLifecycle
import UnixSignals

/// SIGHUP reloads the rule files, as it does for Prometheus.
struct ReloadOnHangup: Service {
    let rules: RuleManager

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in hangups {
                await rules.reload()
            }
        }
    }
}
