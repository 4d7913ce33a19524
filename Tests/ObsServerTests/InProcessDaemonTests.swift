import Foundation
import Logging
import ObsCore
import ObsRules
import ObsServer
import ObsStorage
import ObsTesting
import ServiceLifecycle
import Testing

/// The real daemon, wired by `buildDaemon`, in this process on a manual clock: real sockets,
/// a real SQLite file, and evaluation times chosen by the test.
final class InProcessDaemon: Sendable {
    let directory: TemporaryDirectory
    let clock: ManualClock
    let daemon: AssembledDaemon
    let running: Task<Void, any Error>
    let base: URL

    init(rules: String, start: Timestamp) async throws {
        directory = try TemporaryDirectory("obs-inprocess")
        try FileManager.default.createDirectory(atPath: directory.file("rules"), withIntermediateDirectories: true)
        _ = try directory.write("rules/checkout.yaml", rules)
        var config = ObsConfig()
        config.http = HostPort(host: "127.0.0.1", port: 0)
        config.udp = HostPort(host: "127.0.0.1", port: 0)
        config.dataDir = directory.file("data")
        config.rules.path = directory.file("rules")
        clock = ManualClock(now: start)
        let daemon = try await buildDaemon(config: config, environment: [:], clock: clock, logger: Logger(label: "test"),
                                           handleSignals: false, batching: .init(linger: .zero))
        self.daemon = daemon
        running = Task { try await daemon.run() }
        let address = await daemon.httpAddress()
        base = URL(string: "http://127.0.0.1:\(address.port)")!
    }

    func get(_ path: String) async throws -> [String: Any] {
        let reply = try await HTTPClient.get(URL(string: base.absoluteString + path)!)
        #expect(reply.status == 200, "\(path): \(reply.text)")
        return try reply.json()
    }

    func post(_ path: String, _ body: String) async throws -> HTTPClient.Reply {
        try await HTTPClient.post(base.appendingPathComponent(path), body: Data(body.utf8), headers: ["Content-Type": "application/x-ndjson"])
    }

    /// Moves the clock to `time` and waits until the group has been evaluated there.
    func evaluate(_ group: String, at time: Timestamp) async throws {
        clock.advance(to: time)
        #expect(try await evaluated(group, since: time), "group \(group) was not evaluated at \(time)")
    }

    func evaluated(_ group: String, since time: Timestamp) async throws -> Bool {
        for _ in 0..<400 {
            if let last = await daemon.rules.engine.status(ofGroup: group).lastEvaluation, last >= time { return true }
            try await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    func stop() async throws {
        await daemon.services.triggerGracefulShutdown()
        try await running.value
        directory.remove()
    }
}

@Suite("The daemon in process, on a manual clock")
struct InProcessDaemonTests {
    static let rules = """
        groups:
          - name: checkout
            interval: 10s
            rules:
              - alert: CheckoutLatencyHigh
                expr: p95(latency{service="checkout"}[1m]) > 2s
                for: 20s
                labels: {severity: page}
                annotations: {summary: "checkout p95 is {{ $value }}"}
        """

    static func requests(count: Int, at time: Timestamp, ms: Double) -> String {
        (0..<count).map { _ in
            #"{"ts":"\#(time.rfc3339)","service":"checkout","duration_ms":\#(ms),"status":200,"route":"/api/pay","method":"POST"}"#
        }.joined(separator: "\n")
    }

    @Test("requests with a latency spike → pending → firing in /api/v1/alerts → the spike ends → resolved in the history with the resolving value")
    func lifecycle() async throws {
        let t = Timestamp(nanoseconds: Timestamp.now().nanoseconds.roundedDown(toMultipleOf: 10_000_000_000))
        let obs = try await InProcessDaemon(rules: Self.rules, start: t)
        #expect(try await obs.post("ingest/logs", Self.requests(count: 20, at: t.adding(nanoseconds: -5_000_000_000), ms: 3000)).status == 200)

        try await obs.evaluate("checkout", at: t.adding(nanoseconds: 10_000_000_000))
        var alerts = try await obs.get("/api/v1/alerts")["data"] as? [String: Any]
        var alert = (alerts?["alerts"] as? [[String: Any]])?.first
        #expect(alert?["state"] as? String == "pending")
        #expect(alert?["activeAt"] as? String == t.adding(nanoseconds: 10_000_000_000).rfc3339)
        #expect((alert?["annotations"] as? [String: String])?["summary"] == "checkout p95 is 3s")
        #expect(alert?["value"] as? String == "3000" || (Double(alert?["value"] as? String ?? "") ?? 0) > 2970)

        try await obs.evaluate("checkout", at: t.adding(nanoseconds: 20_000_000_000))
        try await obs.evaluate("checkout", at: t.adding(nanoseconds: 30_000_000_000))
        alerts = try await obs.get("/api/v1/alerts")["data"] as? [String: Any]
        alert = (alerts?["alerts"] as? [[String: Any]])?.first
        #expect(alert?["state"] as? String == "firing")
        #expect((alert?["labels"] as? [String: String]) == ["alertname": "CheckoutLatencyHigh", "service": "checkout", "severity": "page"])

        // 400 fast requests: the p95 of the minute falls to 100 ms.
        #expect(try await obs.post("ingest/logs", Self.requests(count: 400, at: t.adding(nanoseconds: 25_000_000_000), ms: 100)).status == 200)
        try await obs.evaluate("checkout", at: t.adding(nanoseconds: 40_000_000_000))
        alerts = try await obs.get("/api/v1/alerts")["data"] as? [String: Any]
        #expect((alerts?["alerts"] as? [[String: Any]])?.isEmpty == true)

        let history = try await obs.get("/api/v1/alerts/history?since=\(t.nanoseconds / 1_000_000_000 - 60)")
        let transitions = (history["data"] as? [String: Any])?["transitions"] as? [[String: Any]] ?? []
        #expect(transitions.map { $0["state"] as? String ?? "" } == ["pending", "firing", "resolved"])
        #expect(transitions.map { $0["time"] as? String ?? "" } == [10, 30, 40].map { t.adding(nanoseconds: Int64($0) * 1_000_000_000).rfc3339 })
        let resolvedValue = transitions.last?["value"] as? Double ?? 0
        #expect(abs(resolvedValue - 100) <= 1, "resolved with \(resolvedValue)")
        #expect(transitions.allSatisfy { $0["fingerprint"] as? String == transitions.first?["fingerprint"] as? String })

        let filtered = try await obs.get("/api/v1/alerts/history?since=1h&state=firing&alertname=CheckoutLatencyHigh")
        #expect(((filtered["data"] as? [String: Any])?["transitions"] as? [[String: Any]])?.count == 1)

        let rules = try await obs.get("/api/v1/rules")
        let group = ((rules["data"] as? [String: Any])?["groups"] as? [[String: Any]])?.first
        let rule = (group?["rules"] as? [[String: Any]])?.first
        #expect(rule?["health"] as? String == "ok" && rule?["state"] as? String == "inactive")
        #expect(rule?["lastEvaluation"] as? String == t.adding(nanoseconds: 40_000_000_000).rfc3339)
        #expect(rule?["duration"] as? Double == 20 && rule?["query"] as? String == #"p95(latency{service="checkout"}[1m]) > 2s"#)

        let metrics = try await HTTPClient.get(obs.base.appendingPathComponent("metrics")).text
        #expect(metrics.contains("obs_rules_evaluations_total 4"))
        #expect(metrics.contains("obs_rules_evaluation_failures_total 0"))
        #expect(metrics.contains(#"obs_alerts{state="firing"} 0"#))
        #expect(metrics.contains(#"obs_rules_last_evaluation_timestamp_seconds{group="checkout"} \#(t.nanoseconds / 1_000_000_000 + 40)"#))
        try await obs.stop()
    }

    @Test("POST /-/reload: a broken file keeps the old rules (500 with every problem, metric 0); a fixed one loads (200)")
    func reload() async throws {
        let t = Timestamp(nanoseconds: Timestamp.now().nanoseconds.roundedDown(toMultipleOf: 10_000_000_000))
        let obs = try await InProcessDaemon(rules: Self.rules, start: t)
        _ = try obs.directory.write("rules/broken.yaml", "groups:\n  - name: broken\n    rules:\n      - alert: X\n        expr: p59(latency[5m]) > 1\n")
        let refused = try await HTTPClient.post(obs.base.appendingPathComponent("-/reload"), body: Data())
        #expect(refused.status == 500)
        #expect(refused.text.contains(#"broken.yaml:5:9: group \"broken\", rule 1 \"X\": unknown function \"p59\""#), "\(refused.text)")
        var metrics = try await HTTPClient.get(obs.base.appendingPathComponent("metrics")).text
        #expect(metrics.contains("obs_rules_last_reload_successful 0"))
        #expect(await obs.daemon.rules.engine.rules.groups.map(\.name) == ["checkout"])

        _ = try obs.directory.write("rules/broken.yaml", "groups:\n  - name: fixed\n    rules:\n      - alert: X\n        expr: p95(latency[5m]) > 1\n")
        let loaded = try await HTTPClient.post(obs.base.appendingPathComponent("-/reload"), body: Data())
        #expect(loaded.status == 200 && loaded.text.contains("2 files, 2 groups, 2 rules"), "\(loaded.text)")
        metrics = try await HTTPClient.get(obs.base.appendingPathComponent("metrics")).text
        #expect(metrics.contains("obs_rules_last_reload_successful 1"))
        // The new group runs on the clock like the others (its loop starts at the reload,
        // so it may first sleep until the boundary after the one the test moves to).
        var ran = false
        for step in 1...3 where !ran {
            obs.clock.advance(to: t.adding(nanoseconds: Int64(step) * 10_000_000_000))
            ran = try await obs.evaluated("fixed", since: t.adding(nanoseconds: 10_000_000_000))
        }
        #expect(ran)
        try await obs.stop()
    }
}
