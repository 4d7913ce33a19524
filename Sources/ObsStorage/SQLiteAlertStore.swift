import Foundation
import GRDB
import ObsCore

/// Alerts in `obs.db`: `alerts` holds each active alert's state (one row per group and
/// fingerprint), `alert_transitions` every transition ever made — the alert history. Both
/// change in one transaction per evaluation, so after any crash the state and the history
/// agree: a firing alert is restored as firing (no second "firing" row), a pending one keeps
/// its `activeAt`, a `keep_firing_for` countdown its start.
public struct SQLiteAlertStore: AlertStore {
    let database: ObsDatabase

    public init(database: ObsDatabase) {
        self.database = database
    }

    public func activeAlerts() async throws(StorageError) -> [Alert] {
        do {
            return try await database.reader.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT rule_group, labels, annotations, state, active_at_ns, fired_at_ns, keep_firing_since_ns, value
                    FROM alerts ORDER BY rule_group, fingerprint
                    """).compactMap { row -> Alert? in
                    guard let state = AlertState(rawValue: row[3]), state.isActive else { return nil }
                    return Alert(
                        group: row[0], labels: Self.labels(row[1]), annotations: Self.labels(row[2]), state: state,
                        activeAt: Timestamp(nanoseconds: row[4]), firedAt: (row[5] as Int64?).map(Timestamp.init(nanoseconds:)),
                        keepFiringSince: (row[6] as Int64?).map(Timestamp.init(nanoseconds:)), value: row[7]
                    )
                }
            }
        } catch {
            throw database.storageError("reading the alerts' state", error)
        }
    }

    public func commit(_ change: AlertStateChange, sinks: [any AlertTransitionSink]) async throws(StorageError) {
        guard !change.isEmpty else { return }
        let writer = try database.requireWriter("storing alert transitions")
        do {
            try await writer.write { db in
                for alert in change.upserted {
                    try db.execute(sql: """
                        INSERT INTO alerts (rule_group, fingerprint, alertname, labels, annotations, state, active_at_ns,
                                            fired_at_ns, keep_firing_since_ns, value)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (rule_group, fingerprint) DO UPDATE SET
                            labels = excluded.labels, annotations = excluded.annotations, state = excluded.state,
                            active_at_ns = excluded.active_at_ns, fired_at_ns = excluded.fired_at_ns,
                            keep_firing_since_ns = excluded.keep_firing_since_ns, value = excluded.value
                        """, arguments: [
                            alert.group, alert.fingerprint, alert.alertname, Self.json(alert.labels), Self.json(alert.annotations),
                            alert.state.rawValue, alert.activeAt.nanoseconds, alert.firedAt?.nanoseconds,
                            alert.keepFiringSince?.nanoseconds, Self.finite(alert.value),
                        ])
                }
                for removed in change.removed {
                    try db.execute(sql: "DELETE FROM alerts WHERE rule_group = ? AND fingerprint = ?",
                                   arguments: [removed.group, removed.fingerprint])
                }
                for transition in change.transitions {
                    try db.execute(sql: """
                        INSERT INTO alert_transitions (time_ns, rule_group, fingerprint, alertname, labels, annotations, state,
                                                       value, active_at_ns)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [
                            transition.time.nanoseconds, transition.group, transition.fingerprint, transition.alertname,
                            Self.json(transition.labels), Self.json(transition.annotations), transition.state.rawValue,
                            Self.finite(transition.value), transition.activeAt.nanoseconds,
                        ])
                }
                for rule in change.anomalyStates {
                    try db.execute(sql: "DELETE FROM anomaly_state WHERE rule_group = ? AND rule_name = ?", arguments: [rule.group, rule.rule])
                    let insert = try db.cachedStatement(sql: """
                        INSERT INTO anomaly_state (rule_group, rule_name, call, labels, fed_through, state) VALUES (?, ?, ?, ?, ?, ?)
                        """)
                    for call in rule.calls {
                        for series in call.series {
                            try insert.execute(arguments: [rule.group, rule.rule, call.call, Self.json(series.labels), call.fedThrough,
                                                           Data(series.state)])
                        }
                    }
                }
                if !change.transitions.isEmpty {
                    let transaction = SQLiteAlertTransaction(db)
                    for sink in sinks { try sink.record(change.transitions, in: transaction) }
                }
            }
        } catch {
            throw database.storageError("storing alert transitions", error)
        }
        if !change.transitions.isEmpty {
            for sink in sinks { sink.committed(change.transitions) }
        }
    }

    public func anomalyStates() async throws(StorageError) -> [RuleAnomalyStates] {
        do {
            return try await database.reader.read { db in
                var rules: [RuleAnomalyStates] = []
                var calls: [AnomalyStateRecord] = []
                var current: (group: String, rule: String)?
                func finishRule() {
                    if let current, !calls.isEmpty { rules.append(RuleAnomalyStates(group: current.group, rule: current.rule, calls: calls)) }
                    calls = []
                }
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT rule_group, rule_name, call, labels, fed_through, state FROM anomaly_state
                    ORDER BY rule_group, rule_name, call, labels
                    """)
                while let row = try rows.next() {
                    let group: String = row[0], rule: String = row[1], call: String = row[2]
                    if current?.group != group || current?.rule != rule {
                        finishRule()
                        current = (group, rule)
                    }
                    let state: Data = row[5]
                    let series = (labels: Self.labels(row[3]), state: [UInt8](state))
                    if calls.last?.call == call {
                        calls[calls.count - 1].series.append(series)
                    } else {
                        calls.append(AnomalyStateRecord(call: call, fedThrough: row[4], series: [series]))
                    }
                }
                finishRule()
                return rules
            }
        } catch {
            throw database.storageError("reading the anomaly detectors' state", error)
        }
    }

    public func transitions(matching query: AlertHistoryQuery) async throws(StorageError) -> [AlertTransition] {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let since = query.since {
            conditions.append("time_ns >= ?")
            arguments.append(since.nanoseconds)
        }
        if let until = query.until {
            conditions.append("time_ns < ?")
            arguments.append(until.nanoseconds)
        }
        if let alertname = query.alertname {
            conditions.append("alertname = ?")
            arguments.append(alertname)
        }
        if let state = query.state {
            conditions.append("state = ?")
            arguments.append(state.rawValue)
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(max(1, min(query.limit, AlertHistoryQuery.maximumLimit)))
        let statementArguments = StatementArguments(arguments.map { $0.databaseValue })
        // The newest `limit` transitions of the window, returned oldest first.
        let sql = """
            SELECT * FROM (
                SELECT id, time_ns, rule_group, fingerprint, labels, annotations, state, value, active_at_ns
                FROM alert_transitions \(filter) ORDER BY id DESC LIMIT ?
            ) ORDER BY id
            """
        do {
            return try await database.reader.read { db in
                try Row.fetchAll(db, sql: sql, arguments: statementArguments).compactMap { row -> AlertTransition? in
                    guard let state = AlertState(rawValue: row[6]) else { return nil }
                    return AlertTransition(
                        group: row[2], fingerprint: row[3], labels: Self.labels(row[4]), annotations: Self.labels(row[5]),
                        state: state, time: Timestamp(nanoseconds: row[1]), value: row[7], activeAt: Timestamp(nanoseconds: row[8])
                    )
                }
            }
        } catch {
            throw database.storageError("reading the alert history", error)
        }
    }

    /// SQLite stores NaN as NULL anyway; infinities are kept.
    private static func finite(_ value: Double?) -> Double? {
        guard let value, !value.isNaN else { return nil }
        return value
    }

    static func json(_ labels: [String: String]) -> String {
        var json = JSONWriter()
        json.beginObject()
        for (name, value) in labels.sorted(by: { $0.key < $1.key }) {
            json.key(name)
            json.string(value)
        }
        json.endObject()
        return json.string
    }

    static func labels(_ text: String) -> [String: String] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]) ?? [:]
    }
}

/// The GRDB connection of an alert-store write, handed to sinks as an opaque `AlertTransaction`.
public final class SQLiteAlertTransaction: AlertTransaction {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }
}
