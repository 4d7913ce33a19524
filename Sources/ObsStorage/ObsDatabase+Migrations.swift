import GRDB

extension ObsDatabase {
    /// Append-only: a released migration is never edited, only followed by a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-logs") { db in
            // Two lookups whose keys land at random places in a B-tree — message words and trace
            // ids — are indexed behind ingest in large chunks (logs_fts, log_traces) rather than
            // row by row on insert, where they would cost several times the insert itself.
            // log_traces keys are the trace id's leading 64 bits (`obs_trace_key`), a quarter of
            // the hex text's size; readers confirm the full id on the row. logs_fts keeps no
            // positions (detail=none): it narrows candidates and LIKE confirms the exact text.
            // AUTOINCREMENT keeps ids monotonic even after retention empties the table, which
            // the indexer's watermark (index_progress) relies on.
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
                CREATE VIRTUAL TABLE logs_fts USING fts5(message, content='logs', content_rowid='id', detail=none);
                CREATE TABLE log_traces (
                    trace_key INTEGER NOT NULL,
                    log_id INTEGER NOT NULL,
                    PRIMARY KEY (trace_key, log_id)
                ) WITHOUT ROWID;
                CREATE TABLE index_progress (
                    name TEXT PRIMARY KEY,
                    last_indexed_id INTEGER NOT NULL
                );
                INSERT INTO index_progress(name, last_indexed_id) VALUES ('logs', 0);
                """)
        }
        return migrator
    }
}
