import Foundation
import GRDB
import Synchronization

/// The obs store: `obs.db`, the records, and `obs-index.db` beside it, the lookup index
/// derived from them (message words, trace ids). Each file has one GRDB pool (one writer,
/// concurrent readers, WAL), migrated on open.
///
/// Two files because SQLite allows one writer per file: the background indexer writes the
/// index file on its own connection while the ingest writer commits records, so the two use
/// both cores instead of queueing behind one lock. Readers of `obs.db` attach the index file
/// as `idx`. The index is derived data: deleting `obs-index.db` loses nothing, it is rebuilt.
///
/// `synchronous=NORMAL` in WAL mode makes a commit durable against process crashes
/// (`kill -9`) — the only loss window is an operating-system crash or power cut.
public final class ObsDatabase: Sendable {
    public let path: String
    let writer: (any DatabaseWriter)?
    let reader: any DatabaseReader
    /// Writes `obs-index.db`, with `obs.db` attached as `logsdb`; nil when read-only.
    let indexWriter: (any DatabaseWriter)?
    /// Whether readers have the index file attached as `idx`.
    let hasIndex: Bool
    private let closed = Mutex(false)

    private init(path: String, writer: (any DatabaseWriter)?, reader: any DatabaseReader, indexWriter: (any DatabaseWriter)?, hasIndex: Bool) {
        self.path = path
        self.writer = writer
        self.reader = reader
        self.indexWriter = indexWriter
        self.hasIndex = hasIndex
    }

    /// `obs.db` → `obs-index.db`.
    public static func indexPath(for path: String) -> String {
        (path as NSString).deletingPathExtension + "-index.db"
    }

    /// Opens (creating the directory and files if needed) for the daemon.
    public static func open(at path: String) throws(StorageError) -> ObsDatabase {
        let indexPath = Self.indexPath(for: path)
        do {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            let pool = try DatabasePool(path: path, configuration: configuration(attaching: (indexPath, "idx"), onReaders: true))
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 2048")
            }
            try Self.migrator.migrate(pool)

            let indexPool = try DatabasePool(path: indexPath, configuration: configuration(attaching: (path, "logsdb"), onReaders: false))
            try indexPool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 2048")
            }
            try Self.indexMigrator.migrate(indexPool)
            return ObsDatabase(path: path, writer: pool, reader: pool, indexWriter: indexPool, hasIndex: true)
        } catch let error as DatabaseError {
            throw StorageError(operation: "opening the database", path: path, reason: error.message ?? error.description)
        } catch {
            throw StorageError(operation: "opening the database", path: path, reason: "\(error)")
        }
    }

    /// Shared connection set-up. `attaching` is attached to reader connections
    /// (`onReaders`) or to the writer connection (otherwise).
    private static func configuration(attaching: (path: String, name: String), onReaders: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.label = "obs"
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA page_size = 8192; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = OFF")
            if db.configuration.readonly == onReaders, FileManager.default.fileExists(atPath: attaching.path) {
                try db.execute(sql: "ATTACH DATABASE ? AS \(attaching.name)", arguments: [attaching.path])
            }
        }
        return configuration
    }

    /// Opens an existing store read-only, for `obs query --db` while the daemon is down (or
    /// up: WAL lets a reader run beside the writer). Without the index file, searches scan.
    public static func openReadOnly(at path: String) throws(StorageError) -> ObsDatabase {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StorageError(operation: "opening the database read-only", path: path, reason: "no such file")
        }
        let indexPath = Self.indexPath(for: path)
        let hasIndex = FileManager.default.fileExists(atPath: indexPath)
        do {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(5)
            configuration.prepareDatabase { db in
                // An attached file opens with the main connection's flags: read-only too.
                if hasIndex { try db.execute(sql: "ATTACH DATABASE ? AS idx", arguments: [indexPath]) }
            }
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let applied = try queue.read { try Self.migrator.appliedIdentifiers($0) }
            guard applied.contains("v1-logs") else {
                throw StorageError(operation: "opening the database read-only", path: path, reason: "not an obs database (no logs table)")
            }
            let indexReady = try hasIndex && queue.read { db in
                try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM idx.sqlite_master WHERE name = 'index_progress'") ?? false
            }
            return ObsDatabase(path: path, writer: nil, reader: queue, indexWriter: nil, hasIndex: indexReady)
        } catch let error as StorageError {
            throw error
        } catch let error as DatabaseError {
            throw StorageError(operation: "opening the database read-only", path: path, reason: error.message ?? error.description)
        } catch {
            throw StorageError(operation: "opening the database read-only", path: path, reason: "\(error)")
        }
    }

    /// Checkpoints the WALs into the main files and closes; later calls do nothing.
    public func close() throws(StorageError) {
        let alreadyClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !alreadyClosed else { return }
        do {
            if let indexPool = indexWriter as? DatabasePool {
                _ = try indexPool.writeWithoutTransaction { try $0.checkpoint(.truncate, on: "main") }
                try indexPool.close()
            }
            if let pool = writer as? DatabasePool {
                _ = try pool.writeWithoutTransaction { try $0.checkpoint(.truncate, on: "main") }
                try pool.close()
            } else if let queue = reader as? DatabaseQueue {
                try queue.close()
            }
        } catch {
            throw StorageError(operation: "closing the database", path: path, reason: "\(error)")
        }
    }

    func requireWriter(_ operation: String) throws(StorageError) -> any DatabaseWriter {
        guard let writer else {
            throw StorageError(operation: operation, path: path, reason: "the database is open read-only")
        }
        return writer
    }

    func requireIndexWriter(_ operation: String) throws(StorageError) -> any DatabaseWriter {
        guard let indexWriter else {
            throw StorageError(operation: operation, path: path, reason: "the database is open read-only")
        }
        return indexWriter
    }

    func storageError(_ operation: String, _ error: any Error) -> StorageError {
        if let error = error as? StorageError { return error }
        if let error = error as? DatabaseError {
            return StorageError(operation: operation, path: path, reason: error.message ?? error.description)
        }
        return StorageError(operation: operation, path: path, reason: "\(error)")
    }
}
