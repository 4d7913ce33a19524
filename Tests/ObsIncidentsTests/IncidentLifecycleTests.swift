import Logging
import ObsCore
import ObsIncidents
import ObsStorage
import ObsTesting
import Testing

/// The incident lifecycle over a real SQLite file: transitions committed through the alert
/// store with the recorder as its sink, people acting through the desk, the cooldown
/// resolving, all at times a manual clock sets.
struct IncidentLifecycleTests {
    let directory: TemporaryDirectory
    let database: ObsDatabase
    let store: SQLiteIncidentStore
    let alerts: SQLiteAlertStore
    let clock: ManualClock
    let recorder: IncidentRecorder
    let desk: IncidentDesk
    let cooldown: IncidentCooldown
    static let t0 = Timestamp(nanoseconds: 1_800_000_000 * 1_000_000_000)

    init() throws {
        directory = try TemporaryDirectory("obs-incidents")
        database = try ObsDatabase.open(at: directory.file("obs.db"))
        store = SQLiteIncidentStore(database: database)
        alerts = SQLiteAlertStore(database: database)
        clock = ManualClock(now: Self.t0)
        recorder = IncidentRecorder(policy: IncidentPolicy(cooldown: .seconds(300)), store: store)
        desk = IncidentDesk(store: store, clock: clock)
        cooldown = IncidentCooldown(store: store, clock: clock, logger: Logger(label: "test"))
    }

    static func at(_ seconds: Int64) -> Timestamp { t0.adding(nanoseconds: seconds * 1_000_000_000) }

    func transition(_ name: String, service: String, _ state: AlertState, at seconds: Int64, activeAt: Int64,
                    severity: String = "page") -> AlertTransition {
        let labels = ["alertname": name, "service": service, "severity": severity]
        return AlertTransition(group: "shop", fingerprint: AlertFingerprint.of(labels), labels: labels, annotations: [:], state: state,
                               time: Self.at(seconds), value: 0.12, activeAt: Self.at(activeAt))
    }

    func commit(_ transitions: AlertTransition...) async throws {
        try await alerts.commit(AlertStateChange(transitions: transitions), sinks: [recorder])
    }

    func all() async throws -> [IncidentRecord] {
        try await store.incidents(matching: IncidentQuery(limit: 100))
    }

    @Test func aScriptedIncidentHasItsExactTimelineAndFigures() async throws {
        try await commit(transition("HighErrorRate", service: "checkout", .firing, at: 60, activeAt: 0))
        let id = try #require(try await all().first).id
        await IncidentNotificationLog(store: store, logger: Logger(label: "test")).attempted(
            NotificationDelivery(receiver: "oncall", fingerprints: [transition("HighErrorRate", service: "checkout", .firing, at: 0, activeAt: 0).fingerprint],
                                 delivered: true, time: Self.at(65), detail: "delivered (HTTP 200)"))
        clock.advance(to: Self.at(125))
        _ = try await desk.acknowledge(id, by: "ana", source: "cli")
        try await commit(transition("HighErrorRate", service: "checkout", .resolved, at: 240, activeAt: 0))
        #expect(try await cooldown.resolveDue(at: Self.at(539)).isEmpty)
        #expect(try await cooldown.resolveDue(at: Self.at(540)) == [id])

        let (incident, timeline) = try #require(try await store.incident(id))
        #expect(incident.state == "resolved")
        #expect(timeline.map(\.kind) == ["started", "detected", "notified", "acknowledged", "alert_resolved", "mitigated", "resolved"])
        #expect(timeline.map(\.time) == [Self.at(0), Self.at(60), Self.at(65), Self.at(125), Self.at(240), Self.at(240), Self.at(240)])
        #expect(timeline[3].by == "ana" && timeline[3].source == "cli")
        let figures = IncidentFigures(incident)
        #expect(figures.detect == 60)
        #expect(figures.acknowledge == 60)
        #expect(figures.mitigate == 240)
        #expect(figures.resolve == 240)
    }

    @Test func alertsOfOneServiceShareAnIncidentAndServicesDoNot() async throws {
        try await commit(transition("HighErrorRate", service: "checkout", .firing, at: 60, activeAt: 0),
                         transition("HighLatency", service: "checkout", .firing, at: 90, activeAt: 30),
                         transition("HighLatency", service: "cart", .firing, at: 90, activeAt: 30))
        let incidents = try await all()
        #expect(incidents.count == 2)
        let checkout = try #require(incidents.first { $0.service == "checkout" })
        #expect(checkout.alerts.map(\.alertname) == ["HighErrorRate", "HighLatency"])
        #expect(try await store.incident(checkout.id)?.timeline.map(\.kind) == ["started", "detected", "alert_joined"])
    }

    @Test func onlyPagingSeveritiesOpenIncidents() async throws {
        try await commit(transition("DiskFilling", service: "cart", .firing, at: 60, activeAt: 0, severity: "ticket"))
        #expect(try await all().isEmpty)
    }

    @Test func aReFireWithinTheCooldownReopensTheSameIncident() async throws {
        try await commit(transition("HighErrorRate", service: "checkout", .firing, at: 60, activeAt: 0))
        try await commit(transition("HighErrorRate", service: "checkout", .resolved, at: 120, activeAt: 0))
        try await commit(transition("HighErrorRate", service: "checkout", .firing, at: 300, activeAt: 240))
        #expect(try await cooldown.resolveDue(at: Self.at(1000)).isEmpty)
        let incidents = try await all()
        #expect(incidents.count == 1)
        let incident = try #require(incidents.first)
        #expect(incident.mitigatedAt == nil && incident.state == "open")
        try await commit(transition("HighErrorRate", service: "checkout", .resolved, at: 400, activeAt: 240))
        #expect(try await cooldown.resolveDue(at: Self.at(700)) == [incident.id])
        let (resolved, timeline) = try #require(try await store.incident(incident.id))
        #expect(resolved.resolvedAt == Self.at(400))
        #expect(timeline.map(\.kind) == ["started", "detected", "alert_resolved", "mitigated", "alert_joined", "alert_resolved",
                                         "mitigated", "resolved"])
        // A firing after the resolution is a new incident.
        try await commit(transition("HighErrorRate", service: "checkout", .firing, at: 800, activeAt: 760))
        #expect(try await all().count == 2)
    }

    @Test func aRestartKeepsTheIncidentAndItsTimeline() async throws {
        try await commit(transition("HighErrorRate", service: "checkout", .firing, at: 60, activeAt: 0))
        let id = try #require(try await all().first).id
        try database.close()
        let reopened = try ObsDatabase.open(at: directory.file("obs.db"))
        defer { try? reopened.close() }
        let store = SQLiteIncidentStore(database: reopened)
        let recorder = IncidentRecorder(policy: IncidentPolicy(), store: store)
        try await SQLiteAlertStore(database: reopened).commit(
            AlertStateChange(transitions: [transition("HighErrorRate", service: "checkout", .resolved, at: 200, activeAt: 0)]),
            sinks: [recorder])
        let (incident, timeline) = try #require(try await store.incident(id))
        #expect(incident.mitigatedAt == Self.at(200))
        #expect(timeline.map(\.kind) == ["started", "detected", "alert_resolved", "mitigated"])
    }

    @Test func badActionsAreRefusedWithTheReason() async throws {
        await #expect(throws: IncidentError.self) { _ = try await desk.acknowledge(42, by: "ana", source: "api") }
        try await commit(transition("HighErrorRate", service: "checkout", .firing, at: 60, activeAt: 0))
        let id = try #require(try await all().first).id
        _ = try await desk.resolve(id, by: "ana", source: "api")
        do {
            _ = try await desk.resolve(id, by: "bo", source: "api")
            Issue.record("a second resolution was accepted")
        } catch {
            guard case .conflict(_, let reason) = error else { Issue.record("unexpected \(error)"); return }
            #expect(reason.contains("already resolved"))
        }
        do {
            _ = try await desk.note(id, text: String(repeating: "x", count: IncidentError.maximumNoteBytes + 1), by: "ana", source: "api")
            Issue.record("an oversized note was accepted")
        } catch {
            guard case .noteTooLarge = error else { Issue.record("unexpected \(error)"); return }
        }
    }

    @Test func concurrentAcknowledgementsRecordOneAndBothSeeIt() async throws {
        try await commit(transition("HighErrorRate", service: "checkout", .firing, at: 60, activeAt: 0))
        let id = try #require(try await all().first).id
        async let first = desk.acknowledge(id, by: "ana", source: "api")
        async let second = desk.acknowledge(id, by: "bo", source: "api")
        let (a, b) = try await (first, second)
        #expect(a.acknowledgedBy == b.acknowledgedBy)
        #expect(try await store.incident(id)?.timeline.filter { $0.kind == "acknowledged" }.count == 1)
    }
}
