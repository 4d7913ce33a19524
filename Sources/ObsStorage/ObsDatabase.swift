import Foundation
import GRDB
import Synchronization

/// The obs SQLite file: one GRDB pool (one writer, concurrent readers, WAL), migrated on open.
///
/// `synchronous=NORMAL` in WAL mode makes a commit durable against process crashes
/// (`kill -9`) — the only loss window is an operating-system crash or power cut.
public final class ObsDatabase: Sendable {
    public let path: String
    let writer: (any DatabaseWriter)?
    let reader: any DatabaseReader
    private let closed = Mutex(false)

    private init(path: String, writer: (any DatabaseWriter)?, reader: any DatabaseReader) {
        self.path = path
        self.writer = writer
        self.reader = reader
    }

    /// Opens (creating the directory and file if needed) for the daemon.
    public static func open(at path: String) throws(StorageError) -> ObsDatabase {
        do {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            var configuration = Configuration()
            configuration.label = "obs"
            configuration.busyMode = .timeout(5)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA secure_delete = OFF")
                db.add(function: TraceKey.sqlFunction)
            }
            let pool = try DatabasePool(path: path, configuration: configuration)
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 8192")
            }
            try Self.migrator.migrate(pool)
            return ObsDatabase(path: path, writer: pool, reader: pool)
        } catch let error as DatabaseError {
            throw StorageError(operation: "opening the database", path: path, reason: error.message ?? error.description)
        } catch {
            throw StorageError(operation: "opening the database", path: path, reason: "\(error)")
        }
    }

    /// Opens an existing file read-only, for `obs query --db` while the daemon is down (or up:
    /// WAL lets a reader run beside the writer).
    public static func openReadOnly(at path: String) throws(StorageError) -> ObsDatabase {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StorageError(operation: "opening the database read-only", path: path, reason: "no such file")
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(5)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let applied = try queue.read { try Self.migrator.appliedIdentifiers($0) }
            guard applied.contains("v1-logs") else {
                throw StorageError(operation: "opening the database read-only", path: path, reason: "not an obs database (no logs table)")
            }
            return ObsDatabase(path: path, writer: nil, reader: queue)
        } catch let error as StorageError {
            throw error
        } catch let error as DatabaseError {
            throw StorageError(operation: "opening the database read-only", path: path, reason: error.message ?? error.description)
        } catch {
            throw StorageError(operation: "opening the database read-only", path: path, reason: "\(error)")
        }
    }

    /// Checkpoints the WAL into the main file and closes; later calls do nothing.
    public func close() throws(StorageError) {
        let alreadyClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !alreadyClosed else { return }
        do {
            if let pool = writer as? DatabasePool {
                _ = try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
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

    func storageError(_ operation: String, _ error: any Error) -> StorageError {
        if let error = error as? StorageError { return error }
        if let error = error as? DatabaseError {
            return StorageError(operation: operation, path: path, reason: error.message ?? error.description)
        }
        return StorageError(operation: operation, path: path, reason: "\(error)")
    }
}
