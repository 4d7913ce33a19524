import GRDB

extension ObsDatabase {
    /// `obs.db`. Append-only: a released migration is never edited, only followed by a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-logs") { db in
            // AUTOINCREMENT keeps ids monotonic even after retention empties the table, which
            // the indexer's watermark (idx.index_progress) relies on.
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
                """)
        }
        return migrator
    }

    /// `obs-index.db`: lookups whose keys land at random places in a B-tree — message words
    /// and trace ids — are built behind ingest in large chunks instead of row by row on insert,
    /// where they would cost more than the insert itself.
    ///
    /// `logs_fts` is contentless and keeps no positions (detail=none): it narrows candidate
    /// rows and LIKE on `logs.message` confirms the exact text. `log_traces` keys are the
    /// trace id's leading 64 bits (`obs_trace_key`); readers confirm the full id on the row.
    /// `index_progress.last_indexed_id` is the highest `logs.id` both indexes contain.
    static var indexMigrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-index") { db in
            try db.execute(sql: """
                CREATE VIRTUAL TABLE logs_fts USING fts5(message, content='', detail=none);
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
