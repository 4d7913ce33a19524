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
        migrator.registerMigration("v2-spans") { db in
            // Like logs: time-ordered indexes only; trace ids are looked up through the index
            // file (spans_fts), built behind ingest.
            try db.execute(sql: """
                CREATE TABLE spans (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    trace_id TEXT NOT NULL,
                    span_id TEXT NOT NULL,
                    parent_span_id TEXT,
                    service TEXT NOT NULL,
                    name TEXT NOT NULL,
                    kind INTEGER NOT NULL,
                    start_ns INTEGER NOT NULL,
                    duration_ns INTEGER NOT NULL,
                    status_code INTEGER NOT NULL,
                    status_message TEXT,
                    attributes TEXT NOT NULL DEFAULT '{}',
                    events TEXT NOT NULL DEFAULT '[]',
                    links TEXT NOT NULL DEFAULT '[]'
                );
                CREATE INDEX spans_start ON spans(start_ns);
                CREATE INDEX spans_service_start ON spans(service, start_ns);
                """)
        }
        migrator.registerMigration("v3-rollups") { db in
            // Series are named once; rollups refer to them by id, keyed so that one series'
            // buckets of one resolution sit together (window reads are range seeks).
            // rollup_state.generation counts committed flushes: a query that also reads the
            // aggregator's memory uses it to count every bucket exactly once. The other
            // columns are the RollupWatermark: which records a crash left unaggregated.
            try db.execute(sql: """
                CREATE TABLE rollup_series (
                    id INTEGER PRIMARY KEY,
                    kind INTEGER NOT NULL,
                    service TEXT NOT NULL,
                    route TEXT NOT NULL DEFAULT '',
                    method TEXT NOT NULL DEFAULT '',
                    level TEXT NOT NULL DEFAULT '',
                    UNIQUE (kind, service, route, method, level)
                );
                CREATE TABLE rollups (
                    resolution INTEGER NOT NULL,
                    series_id INTEGER NOT NULL,
                    bucket_start INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    errors INTEGER NOT NULL,
                    sum_ms REAL NOT NULL,
                    min_ms REAL,
                    max_ms REAL,
                    sketch BLOB,
                    PRIMARY KEY (resolution, series_id, bucket_start)
                ) WITHOUT ROWID;
                CREATE TABLE rollup_state (
                    generation INTEGER NOT NULL,
                    all_log_id INTEGER NOT NULL,
                    all_span_id INTEGER NOT NULL,
                    closed_before INTEGER NOT NULL,
                    log_id INTEGER NOT NULL,
                    span_id INTEGER NOT NULL
                );
                INSERT INTO rollup_state VALUES (0, 0, 0, -9223372036854775808, 0, 0);
                """)
        }
        migrator.registerMigration("v4-alerts") { db in
            // alerts: the current state of every active alert (restarts resume from it);
            // alert_transitions: the alert history, appended in the same transaction.
            try db.execute(sql: """
                CREATE TABLE alerts (
                    rule_group TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    alertname TEXT NOT NULL,
                    labels TEXT NOT NULL,
                    annotations TEXT NOT NULL,
                    state TEXT NOT NULL,
                    active_at_ns INTEGER NOT NULL,
                    fired_at_ns INTEGER,
                    keep_firing_since_ns INTEGER,
                    value REAL,
                    PRIMARY KEY (rule_group, fingerprint)
                ) WITHOUT ROWID;
                CREATE TABLE alert_transitions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    time_ns INTEGER NOT NULL,
                    rule_group TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    alertname TEXT NOT NULL,
                    labels TEXT NOT NULL,
                    annotations TEXT NOT NULL,
                    state TEXT NOT NULL,
                    value REAL,
                    active_at_ns INTEGER NOT NULL
                );
                CREATE INDEX alert_transitions_time ON alert_transitions(time_ns);
                CREATE INDEX alert_transitions_alertname ON alert_transitions(alertname, time_ns);
                """)
        }
        migrator.registerMigration("v5-notifications") { db in
            // notify_groups / notify_group_alerts: each alert group of each receiver and the
            //   alerts in it, changed in the transaction of the transition that caused it;
            // outbox: every composed notification, from its composition to its delivery (or
            //   death), with the idempotency key it keeps across retries and restarts;
            // silences: persisted, expired ones kept for the record.
            try db.execute(sql: """
                CREATE TABLE notify_groups (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    receiver TEXT NOT NULL,
                    group_key TEXT NOT NULL,
                    route_id TEXT NOT NULL,
                    group_labels TEXT NOT NULL,
                    created_ns INTEGER NOT NULL,
                    due_ns INTEGER NOT NULL,
                    last_flush_ns INTEGER,
                    notified_firing TEXT NOT NULL DEFAULT '[]',
                    flushes INTEGER NOT NULL DEFAULT 0,
                    UNIQUE (receiver, group_key)
                );
                CREATE INDEX notify_groups_due ON notify_groups(due_ns);
                CREATE TABLE notify_group_alerts (
                    group_id INTEGER NOT NULL REFERENCES notify_groups(id) ON DELETE CASCADE,
                    fingerprint TEXT NOT NULL,
                    rule_group TEXT NOT NULL,
                    labels TEXT NOT NULL,
                    annotations TEXT NOT NULL,
                    firing INTEGER NOT NULL,
                    starts_ns INTEGER NOT NULL,
                    ends_ns INTEGER,
                    value REAL,
                    PRIMARY KEY (group_id, fingerprint)
                ) WITHOUT ROWID;
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    receiver TEXT NOT NULL,
                    group_key TEXT NOT NULL,
                    status TEXT NOT NULL,
                    notification_status TEXT NOT NULL,
                    created_ns INTEGER NOT NULL,
                    next_attempt_ns INTEGER NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_attempt_ns INTEGER,
                    finished_ns INTEGER,
                    last_status_code INTEGER,
                    last_error TEXT,
                    alerts TEXT NOT NULL,
                    firing_count INTEGER NOT NULL,
                    resolved_count INTEGER NOT NULL,
                    content_type TEXT NOT NULL,
                    url_path TEXT,
                    body BLOB NOT NULL
                );
                CREATE INDEX outbox_open ON outbox(receiver, group_key, id) WHERE status IN ('pending', 'retrying');
                CREATE INDEX outbox_due ON outbox(receiver, next_attempt_ns, id, group_key) WHERE status IN ('pending', 'retrying');
                CREATE INDEX outbox_created ON outbox(created_ns);
                CREATE TABLE silences (
                    id TEXT PRIMARY KEY,
                    matchers TEXT NOT NULL,
                    starts_ns INTEGER NOT NULL,
                    ends_ns INTEGER NOT NULL,
                    comment TEXT NOT NULL,
                    author TEXT NOT NULL,
                    created_ns INTEGER NOT NULL,
                    updated_ns INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v6-anomaly-state") { db in
            // What each anomaly rule's detectors learned, per call and series: written with
            // the rule's alert state (at most every few minutes) so that a restart resumes
            // it and catches up only the samples it missed.
            try db.execute(sql: """
                CREATE TABLE anomaly_state (
                    rule_group TEXT NOT NULL,
                    rule_name TEXT NOT NULL,
                    call TEXT NOT NULL,
                    labels TEXT NOT NULL,
                    fed_through INTEGER NOT NULL,
                    state BLOB NOT NULL,
                    PRIMARY KEY (rule_group, rule_name, call, labels)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v7-incidents") { db in
            // An incident per paging alert group; its alerts and its timeline beside it. The
            // partial index finds a group's unresolved incident, which sinks look up inside
            // the alert transaction.
            try db.execute(sql: """
                CREATE TABLE incidents (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    group_key TEXT NOT NULL,
                    group_labels TEXT NOT NULL,
                    service TEXT NOT NULL,
                    title TEXT NOT NULL,
                    state TEXT NOT NULL,
                    opened_ns INTEGER NOT NULL,
                    started_ns INTEGER NOT NULL,
                    detected_ns INTEGER NOT NULL,
                    acknowledged_ns INTEGER,
                    acknowledged_by TEXT,
                    first_notified_ns INTEGER,
                    mitigated_ns INTEGER,
                    resolve_due_ns INTEGER,
                    resolved_ns INTEGER,
                    resolved_by TEXT
                );
                CREATE INDEX incidents_unresolved ON incidents(group_key) WHERE state != 'resolved';
                CREATE INDEX incidents_opened ON incidents(opened_ns);
                CREATE TABLE incident_alerts (
                    incident_id INTEGER NOT NULL,
                    rule_group TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    labels TEXT NOT NULL,
                    firing INTEGER NOT NULL,
                    active_at_ns INTEGER NOT NULL,
                    joined_ns INTEGER NOT NULL,
                    resolved_ns INTEGER,
                    PRIMARY KEY (incident_id, rule_group, fingerprint)
                ) WITHOUT ROWID;
                CREATE INDEX incident_alerts_fingerprint ON incident_alerts(fingerprint);
                CREATE TABLE incident_events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    incident_id INTEGER NOT NULL,
                    time_ns INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    source TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    by_whom TEXT
                );
                CREATE INDEX incident_events_incident ON incident_events(incident_id, time_ns);
                """)
        }
        return migrator
    }

    /// `obs-index.db`: lookups whose keys land at random places in a B-tree — message words
    /// and trace ids — are built behind ingest in large chunks instead of row by row on insert,
    /// where they would cost more than the insert itself.
    ///
    /// Both live in one contentless FTS5 table that keeps no positions (detail=none): a trace
    /// id is one more token of its row. FTS5 stores terms in merged segments, so a random key
    /// costs an append, not a write to a random page of an ever larger B-tree (a `trace_id`
    /// B-tree index, measured, halved ingest and kept getting slower as it grew). The index
    /// only narrows candidates: readers confirm the text with LIKE and the id with `=` on
    /// `logs`. `index_progress.last_indexed_id` is the highest `logs.id` indexed.
    static var indexMigrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-index") { db in
            try db.execute(sql: """
                CREATE VIRTUAL TABLE logs_fts USING fts5(message, trace_id, content='', detail=none);
                CREATE TABLE index_progress (
                    name TEXT PRIMARY KEY,
                    last_indexed_id INTEGER NOT NULL
                );
                INSERT INTO index_progress(name, last_indexed_id) VALUES ('logs', 0);
                """)
        }
        migrator.registerMigration("v2-spans-index") { db in
            try db.execute(sql: """
                CREATE VIRTUAL TABLE spans_fts USING fts5(trace_id, content='', detail=none);
                INSERT INTO index_progress(name, last_indexed_id) VALUES ('spans', 0);
                """)
        }
        return migrator
    }
}
