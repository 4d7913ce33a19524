import GRDB

extension ObsDatabase {
    /// Append-only: a released migration is never edited, only followed by a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-logs") { db in
            // AUTOINCREMENT keeps ids monotonic even after retention empties the table, which
            // the full-text indexer's watermark relies on.
            try db.execute(sql: """
                CREATE TABLE logs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    time_ns INTEGER NOT NULL,
                    service TEXT NOT NULL,
                    severity INTEGER NOT NULL,
                    level TEXT NOT NULL,
                    message TEXT NOT NULL,
                    trace_id TEXT,
                    span_id TEXT,
                    duration_ms REAL,
                    status INTEGER,
                    route TEXT,
                    method TEXT,
                    attributes TEXT NOT NULL DEFAULT '{}'
                );
                CREATE INDEX logs_time ON logs(time_ns);
                CREATE INDEX logs_service_time ON logs(service, time_ns);
                CREATE INDEX logs_trace ON logs(trace_id) WHERE trace_id IS NOT NULL;
                CREATE VIRTUAL TABLE logs_fts USING fts5(message, content='logs', content_rowid='id');
                CREATE TABLE fts_progress (
                    name TEXT PRIMARY KEY,
                    last_indexed_id INTEGER NOT NULL
                );
                INSERT INTO fts_progress(name, last_indexed_id) VALUES ('logs', 0);
                """)
        }
        return migrator
    }
}
