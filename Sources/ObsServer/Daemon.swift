import Logging
import ObsCore

/// `obs serve`: `buildDaemon` wires storage, ingest, aggregation, the rule engine, HTTP and
/// UDP together, and `run()` runs them until SIGTERM/SIGINT.
public struct Daemon: Sendable {
    public let config: ObsConfig
    let environment: [String: String]
    let logger: Logger

    /// `environment` supplies the auth tokens named by `config.auth`.
    public init(config: ObsConfig, environment: [String: String], logger: Logger) {
        self.config = config
        self.environment = environment
        self.logger = logger
    }

    public func run() async throws {
        let daemon = try await buildDaemon(config: config, environment: environment, clock: SystemClock(), logger: logger)
        try await daemon.run()
    }
}
