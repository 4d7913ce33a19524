import ObsStorage

/// The SQLite file for `--db`: opened read-only (the daemon may be running beside it), its
/// failure as the command's one-line error.
enum ReadOnlyStore {
    static func open(_ path: String) throws(CLIError) -> ObsDatabase {
        do {
            return try ObsDatabase.openReadOnly(at: path)
        } catch {
            throw CLIError("\(error)")
        }
    }
}

extension ReadOnlyStore {
    /// The end of a store's rollups (the minute after its last 1 m row, in Unix seconds), for
    /// benchmarks that re-run on a kept store.
    static func rollupsEnd(_ database: ObsDatabase, path: String) async throws(CLIError) -> Int64 {
        let range: (first: Int64, last: Int64)?
        do { range = try await database.rollupTimeRange() } catch { throw CLIError("\(error)") }
        guard let range else { throw CLIError("\(path) holds no rollups") }
        return range.last + 60
    }
}
