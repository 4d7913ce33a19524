import Logging
import ObsCore
import ServiceLifecycle

/// Background upkeep of the store, off the ingest path: catches the full-text and trace-id
/// indexes up in large chunks and applies log retention periodically.
public final class MaintenanceService: Service {
    public struct Configuration: Sendable {
        public var logRetention: Duration
        public var spanRetention: Duration
        public var alertHistoryRetention: Duration
        public var indexInterval: Duration
        public var retentionInterval: Duration
        public var indexChunk: Int
        /// How long rollup buckets of each resolution (seconds) are kept.
        public var rollupRetention: [Int64: Duration]

        public init(
            logRetention: Duration = .seconds(7 * 86_400), spanRetention: Duration = .seconds(7 * 86_400),
            alertHistoryRetention: Duration = .seconds(400 * 86_400), rollupRetention: [Int64: Duration] = [:], indexInterval: Duration = .seconds(1),
            retentionInterval: Duration = .seconds(60), indexChunk: Int = 100_000
        ) {
            self.logRetention = logRetention
            self.spanRetention = spanRetention
            self.alertHistoryRetention = alertHistoryRetention
            self.rollupRetention = rollupRetention
            self.indexInterval = indexInterval
            self.retentionInterval = retentionInterval
            self.indexChunk = indexChunk
        }
    }

    private let database: ObsDatabase
    private let configuration: Configuration
    private let logger: Logger
    private let clock: any ObsClock

    public init(database: ObsDatabase, configuration: Configuration, logger: Logger, clock: any ObsClock) {
        self.database = database
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
    }

    /// Runs until graceful shutdown. A transaction in progress is finished, not interrupted:
    /// only the pauses between them end early, so the database can close cleanly afterwards.
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.indexLoop() }
            group.addTask { await self.retentionLoop() }
        }
    }

    private var running: Bool { !Task.isShuttingDownGracefully && !Task.isCancelled }

    private func pause(_ duration: Duration) async {
        try? await cancelWhenGracefulShutdown { try await self.clock.sleep(for: duration) }
    }

    private func indexLoop() async {
        while running {
            do {
                let indexed = try await database.catchUpIndexes(maxRows: configuration.indexChunk)
                if indexed == configuration.indexChunk { continue }
            } catch {
                logger.warning("Indexing failed; it is retried.", metadata: ["error": "\(error)"])
            }
            await pause(configuration.indexInterval)
        }
    }

    private func retentionLoop() async {
        while running {
            let now = clock.now()
            do {
                let logCutoff = now.adding(nanoseconds: -configuration.logRetention.totalNanoseconds)
                let spanCutoff = now.adding(nanoseconds: -configuration.spanRetention.totalNanoseconds)
                let logs = try await database.deleteLogs(olderThan: logCutoff)
                let spans = try await database.deleteSpans(olderThan: spanCutoff)
                let historyCutoff = now.adding(nanoseconds: -configuration.alertHistoryRetention.totalNanoseconds)
                let transitions = try await database.deleteAlertTransitions(olderThan: historyCutoff)
                // Delivered and dead notifications are part of the alert history.
                let notifications = try await SQLiteNotificationStore(database: database)
                    .deleteFinishedNotifications(before: historyCutoff)
                var rollups = 0
                for (resolution, retention) in configuration.rollupRetention.sorted(by: { $0.key < $1.key }) {
                    let cutoff = (now.nanoseconds - retention.totalNanoseconds) / 1_000_000_000
                    rollups += try await database.deleteRollups(resolution: resolution, olderThan: cutoff)
                }
                if logs + spans + rollups + transitions + notifications > 0 {
                    logger.info("Deleted records past retention.", metadata: [
                        "retention.logs_deleted": "\(logs)", "retention.spans_deleted": "\(spans)",
                        "retention.rollups_deleted": "\(rollups)", "retention.alert_transitions_deleted": "\(transitions)",
                        "retention.notifications_deleted": "\(notifications)",
                    ])
                }
            } catch {
                logger.warning("Retention failed; it is retried.", metadata: ["error": "\(error)"])
            }
            await pause(configuration.retentionInterval)
        }
    }
}
