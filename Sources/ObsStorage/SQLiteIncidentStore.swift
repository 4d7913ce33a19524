import GRDB
import ObsCore

/// Incidents, their alerts and their timelines in `obs.db`. The incident sink writes inside
/// the alert transaction (what an alert transition does to an incident commits with it);
/// acknowledgements, notes, deliveries and cooldowns edit one incident in a transaction of
/// their own.
public struct SQLiteIncidentStore: Sendable {
    let database: ObsDatabase

    public init(database: ObsDatabase) {
        self.database = database
    }

    // MARK: - Inside the alert transaction

    public func unresolvedIncident(groupKey: String, in transaction: any AlertTransaction) throws -> IncidentRecord? {
        let db = try connection(of: transaction, "finding a group's incident")
        return try Self.fetch(db, where: "group_key = ? AND state != 'resolved'", [groupKey]).first
    }

    /// The unresolved incidents that hold this alert.
    public func unresolvedIncidents(holding ruleGroup: String, fingerprint: String,
                                    in transaction: any AlertTransaction) throws -> [IncidentRecord] {
        let db = try connection(of: transaction, "finding an alert's incident")
        return try Self.fetch(db, where: """
            state != 'resolved' AND id IN (SELECT incident_id FROM incident_alerts WHERE fingerprint = ? AND rule_group = ?)
            """, [fingerprint, ruleGroup])
    }

    /// Inserts (id 0) or updates the incident and its alerts and appends `events`; returns its id.
    @discardableResult
    public func save(_ incident: IncidentRecord, events: [IncidentEventRecord], in transaction: any AlertTransaction) throws -> Int64 {
        try Self.save(incident, events: events, db: try connection(of: transaction, "storing an incident"))
    }

    // MARK: - Edits of their own

    /// Reads the incident, lets `body` decide, and stores what it changed, in one
    /// transaction. nil when there is no such incident.
    public func edit(_ id: Int64, _ body: @escaping @Sendable (inout IncidentRecord) -> IncidentEdit)
        async throws(StorageError) -> (incident: IncidentRecord, edit: IncidentEdit)? {
        let writer = try database.requireWriter("editing an incident")
        do {
            return try await writer.write { db in
                guard var incident = try Self.fetch(db, where: "id = ?", [id]).first else { return nil }
                let edit = body(&incident)
                if case .changed(let events) = edit { try Self.save(incident, events: events, db: db) }
                return (incident, edit)
            }
        } catch {
            throw database.storageError("editing incident \(id)", error)
        }
    }

    /// Appends `event` to every unresolved incident holding one of these alerts, letting
    /// `body` adjust each first (a delivery sets the first notification time).
    public func record(_ event: IncidentEventRecord, onIncidentsHolding fingerprints: [String],
                       _ body: @escaping @Sendable (inout IncidentRecord) -> Void = { _ in }) async throws(StorageError) -> [Int64] {
        guard !fingerprints.isEmpty else { return [] }
        let writer = try database.requireWriter("recording a notification on incidents")
        do {
            return try await writer.write { db in
                let marks = Array(repeating: "?", count: fingerprints.count).joined(separator: ",")
                let incidents = try Self.fetch(db, where: """
                    state != 'resolved' AND id IN (SELECT incident_id FROM incident_alerts WHERE fingerprint IN (\(marks)))
                    """, fingerprints)
                for var incident in incidents {
                    body(&incident)
                    try Self.save(incident, events: [event], db: db)
                }
                return incidents.map(\.id)
            }
        } catch {
            throw database.storageError("recording a notification on incidents", error)
        }
    }

    /// The unresolved incidents whose cooldown has passed at `time`.
    public func dueForResolution(at time: Timestamp) async throws(StorageError) -> [IncidentRecord] {
        try await read("finding incidents past their cooldown") { db in
            try Self.fetch(db, where: "state != 'resolved' AND resolve_due_ns <= ?", [time.nanoseconds])
        }
    }

    public func nextResolutionDue() async throws(StorageError) -> Timestamp? {
        try await read("finding the next incident cooldown") { db in
            try Int64.fetchOne(db, sql: "SELECT min(resolve_due_ns) FROM incidents WHERE state != 'resolved'").map(Timestamp.init(nanoseconds:))
        }
    }

    // MARK: - Reading

    public func incident(_ id: Int64) async throws(StorageError) -> (incident: IncidentRecord, timeline: [IncidentEventRecord])? {
        try await read("reading incident \(id)") { db in
            guard let incident = try Self.fetch(db, where: "id = ?", [id]).first else { return nil }
            let timeline = try Row.fetchAll(db, sql: """
                SELECT time_ns, kind, source, detail, by_whom FROM incident_events WHERE incident_id = ? ORDER BY time_ns, id
                """, arguments: [id]).map { row in
                IncidentEventRecord(time: Timestamp(nanoseconds: row[0]), kind: row[1], source: row[2], detail: row[3], by: row[4])
            }
            return (incident, timeline)
        }
    }

    public func incidents(matching query: IncidentQuery) async throws(StorageError) -> [IncidentRecord] {
        try await read("listing incidents") { db in
            var conditions = ["1"]
            var arguments: [any DatabaseValueConvertible] = []
            if let state = query.state { conditions.append("state = ?"); arguments.append(state) }
            if let service = query.service { conditions.append("service = ?"); arguments.append(service) }
            if let since = query.since { conditions.append("opened_ns >= ?"); arguments.append(since.nanoseconds) }
            if let until = query.until { conditions.append("opened_ns < ?"); arguments.append(until.nanoseconds) }
            let limit = max(1, min(query.limit, IncidentQuery.maximumLimit))
            return try Self.fetch(db, where: conditions.joined(separator: " AND ") + " ORDER BY opened_ns DESC, id DESC LIMIT \(limit)",
                                  arguments)
        }
    }

    // MARK: - Rows

    private func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StorageError) -> T {
        do {
            return try await database.reader.read(body)
        } catch {
            throw database.storageError(operation, error)
        }
    }

    private func connection(of transaction: any AlertTransaction, _ operation: String) throws -> Database {
        guard let sqlite = transaction as? SQLiteAlertTransaction else {
            throw StorageError(operation: operation, path: database.path, reason: "the alert transaction is not one of this database")
        }
        return sqlite.db
    }

    private static let columns = """
        id, group_key, group_labels, service, title, state, opened_ns, started_ns, detected_ns, acknowledged_ns, acknowledged_by,
        first_notified_ns, mitigated_ns, resolve_due_ns, resolved_ns, resolved_by
        """

    private static func fetch(_ db: Database, where condition: String, _ arguments: [any DatabaseValueConvertible]) throws -> [IncidentRecord] {
        let rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM incidents WHERE \(condition)", arguments: StatementArguments(arguments))
        return try rows.map { row in
            let id: Int64 = row[0]
            let alerts = try Row.fetchAll(db, sql: """
                SELECT rule_group, fingerprint, labels, firing, active_at_ns, joined_ns, resolved_ns
                FROM incident_alerts WHERE incident_id = ? ORDER BY joined_ns, fingerprint
                """, arguments: [id]).map { alert in
                IncidentAlertRecord(ruleGroup: alert[0], fingerprint: alert[1], labels: SQLiteAlertStore.labels(alert[2]),
                                    firing: alert[3], activeAt: Timestamp(nanoseconds: alert[4]),
                                    joinedAt: Timestamp(nanoseconds: alert[5]), resolvedAt: time(alert[6]))
            }
            return IncidentRecord(
                id: id, groupKey: row[1], groupLabels: SQLiteAlertStore.labels(row[2]), service: row[3], title: row[4], state: row[5],
                openedAt: Timestamp(nanoseconds: row[6]), startedAt: Timestamp(nanoseconds: row[7]),
                detectedAt: Timestamp(nanoseconds: row[8]), acknowledgedAt: time(row[9]), acknowledgedBy: row[10],
                firstNotifiedAt: time(row[11]), mitigatedAt: time(row[12]), resolveDueAt: time(row[13]), resolvedAt: time(row[14]),
                resolvedBy: row[15], alerts: alerts
            )
        }
    }

    private static func time(_ nanoseconds: Int64?) -> Timestamp? {
        nanoseconds.map(Timestamp.init(nanoseconds:))
    }

    private static func save(_ incident: IncidentRecord, events: [IncidentEventRecord], db: Database) throws -> Int64 {
        let values: [any DatabaseValueConvertible & Sendable] = [
            incident.groupKey, SQLiteAlertStore.json(incident.groupLabels), incident.service, incident.title, incident.state,
            incident.openedAt.nanoseconds, incident.startedAt.nanoseconds, incident.detectedAt.nanoseconds,
        ]
        let optional: [(any DatabaseValueConvertible & Sendable)?] = [
            incident.acknowledgedAt?.nanoseconds, incident.acknowledgedBy, incident.firstNotifiedAt?.nanoseconds,
            incident.mitigatedAt?.nanoseconds, incident.resolveDueAt?.nanoseconds, incident.resolvedAt?.nanoseconds,
            incident.resolvedBy,
        ]
        let arguments = StatementArguments(values.map { $0 as (any DatabaseValueConvertible)? } + optional.map { $0 as (any DatabaseValueConvertible)? })
        let id: Int64
        if incident.id == 0 {
            try db.execute(sql: """
                INSERT INTO incidents (group_key, group_labels, service, title, state, opened_ns, started_ns, detected_ns,
                                       acknowledged_ns, acknowledged_by, first_notified_ns, mitigated_ns, resolve_due_ns,
                                       resolved_ns, resolved_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: arguments)
            id = db.lastInsertedRowID
        } else {
            id = incident.id
            try db.execute(sql: """
                UPDATE incidents SET group_key = ?, group_labels = ?, service = ?, title = ?, state = ?, opened_ns = ?, started_ns = ?,
                    detected_ns = ?, acknowledged_ns = ?, acknowledged_by = ?, first_notified_ns = ?, mitigated_ns = ?,
                    resolve_due_ns = ?, resolved_ns = ?, resolved_by = ?
                WHERE id = ?
                """, arguments: arguments + [id])
            try db.execute(sql: "DELETE FROM incident_alerts WHERE incident_id = ?", arguments: [id])
        }
        for alert in incident.alerts {
            try db.execute(sql: """
                INSERT INTO incident_alerts (incident_id, rule_group, fingerprint, labels, firing, active_at_ns, joined_ns, resolved_ns)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, alert.ruleGroup, alert.fingerprint, SQLiteAlertStore.json(alert.labels), alert.firing,
                                 alert.activeAt.nanoseconds, alert.joinedAt.nanoseconds, alert.resolvedAt?.nanoseconds])
        }
        for event in events {
            try db.execute(sql: """
                INSERT INTO incident_events (incident_id, time_ns, kind, source, detail, by_whom) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [id, event.time.nanoseconds, event.kind, event.source, event.detail, event.by])
        }
        return id
    }
}
