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
