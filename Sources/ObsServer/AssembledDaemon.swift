import Logging
import ObsRules
import ObsStorage
import ServiceLifecycle

/// A daemon assembled and ready to run: its services in one ordered group, the addresses it
/// is bound to, and the parts tests talk to.
public final class AssembledDaemon: Sendable {
    public let services: ServiceGroup
    public let database: ObsDatabase
    public let rules: RuleManager
    /// UDP is bound while the daemon is built; HTTP once `run()` has started its listener.
    public let udpAddress: HostPort
    private let boundHTTP: AddressPromise
    private let logger: Logger

    init(services: ServiceGroup, database: ObsDatabase, rules: RuleManager, udpAddress: HostPort, boundHTTP: AddressPromise, logger: Logger) {
        self.services = services
        self.database = database
        self.rules = rules
        self.udpAddress = udpAddress
        self.boundHTTP = boundHTTP
        self.logger = logger
    }

    /// The HTTP address, once the listener is bound (call while `run()` runs).
    public func httpAddress() async -> HostPort { await boundHTTP.value }

    /// Runs every service until graceful shutdown, then closes the store.
    public func run() async throws {
        do {
            try await services.run()
        } catch {
            try? database.close()
            throw error
        }
        try database.close()
        logger.info("obs stopped: queue drained, database closed.")
    }
}
