import Foundation
import ObsTesting
import Testing

/// `GET` of the daemon's API as JSON, `data` unwrapped.
func apiData(_ daemon: DaemonProcess, _ path: String) async throws -> [String: Any] {
    let reply = try await HTTPClient.get(URL(string: daemon.baseURL.absoluteString + path)!)
    #expect(reply.status == 200, "\(path): \(reply.text)")
    return try reply.json()["data"] as? [String: Any] ?? [:]
}

func activeAlerts(_ daemon: DaemonProcess) async throws -> [[String: Any]] {
    try await apiData(daemon, "/api/v1/alerts")["alerts"] as? [[String: Any]] ?? []
}

func transitions(_ daemon: DaemonProcess, _ query: String = "since=1h") async throws -> [[String: Any]] {
    try await apiData(daemon, "/api/v1/alerts/history?\(query)")["transitions"] as? [[String: Any]] ?? []
}

/// Polls the daemon until `condition` holds (real time passes: the daemon's own clock runs).
func eventuallyAsync(attempts: Int = 400, _ condition: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<attempts {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

func requestLines(_ count: Int, ms: Double, service: String = "checkout", at time: Date = Date()) -> String {
    (0..<count).map { _ in
        #"{"ts":\#(time.timeIntervalSince1970),"service":"\#(service)","duration_ms":\#(ms),"status":200,"route":"/api/pay","method":"POST"}"#
    }.joined(separator: "\n")
}

@Suite("Alert rules, end to end with the real daemon")
struct AlertEndToEndTests {
    static let rules = """
        groups:
          - name: checkout
            interval: 1s
            rules:
              - alert: CheckoutLatencyHigh
                expr: p95(latency{service="checkout"}[1m]) > 1s
                for: 2s
                labels: {severity: page}
                annotations: {summary: "checkout p95 is {{ $value }}"}
        """

    @Test("a latency spike goes pending then firing; kill -9 while firing, and the restart neither re-fires nor forgets; fast requests resolve it with their value")
    func spikeRestartResolve() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rules = try directory.write("rules.yaml", Self.rules)
        let dataDir = directory.file("data")
        var daemon = try await DaemonProcess.start(dataDir: dataDir, extraArguments: ["--rules", rules])
        #expect(try await postLogs(daemon, requestLines(20, ms: 3000)).status == 200)
        let fired = try await eventuallyAsync { try await activeAlerts(daemon).first?["state"] as? String == "firing" }
        #expect(fired, "never fired: \(daemon.log)")
        #expect(try await transitions(daemon).map { $0["state"] as? String ?? "" } == ["pending", "firing"])

        try await daemon.stop(signal: SIGKILL)
        daemon = try await DaemonProcess.start(dataDir: dataDir, extraArguments: ["--rules", rules])
        let restarted = Date()
        // Wait for an evaluation after the restart, then look.
        let evaluated = try await eventuallyAsync {
            let groups = try await apiData(daemon, "/api/v1/rules")["groups"] as? [[String: Any]]
            let last = (groups?.first?["lastEvaluation"] as? String).flatMap { ISO8601DateFormatter.withFraction.date(from: $0) }
            return (last ?? .distantPast) > restarted.addingTimeInterval(1)
        }
        #expect(evaluated)
        let alert = try await activeAlerts(daemon).first
        #expect(alert?["state"] as? String == "firing")
        #expect(try await transitions(daemon).map { $0["state"] as? String ?? "" } == ["pending", "firing"], "a second firing transition after kill -9")

        #expect(try await postLogs(daemon, requestLines(2000, ms: 100)).status == 200)
        let resolved = try await eventuallyAsync { try await activeAlerts(daemon).isEmpty }
        #expect(resolved)
        let history = try await transitions(daemon)
        #expect(history.map { $0["state"] as? String ?? "" } == ["pending", "firing", "resolved"])
        let value = history.last?["value"] as? Double ?? -1
        #expect(abs(value - 100) <= 1, "resolved with \(value), not the value that resolved it")

        let table = try ObsBinary.run(["query", "alerts", "--history", "--url", daemon.baseURL.absoluteString, "--format", "table"])
        #expect(table.status == 0 && table.stdout.contains("resolved") && table.stdout.contains("CheckoutLatencyHigh"), "\(table.stderr)")
        try await daemon.stop()
    }

    @Test("obs rules check: every problem located, exit 1; ok with a summary, exit 0; the daemon refuses the same files with exit 2")
    func check() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bad = try directory.write("checkout.yaml", """
            groups:
              - name: checkout
                rules:
                  - alert: CheckoutLatencyHigh
                    expr: p95(latency{service="checkout"}[5m]) > 2s
                  - alert: CheckoutLatencyHigh
                    expr: p59(latency{service="checkout"}[5m]) > 2s
                    for: 5x
            """)
        let checked = try ObsBinary.run(["rules", "check", bad])
        #expect(checked.status == 1)
        let expected = [
            "\(bad):6:9: group \"checkout\", rule 2 \"CheckoutLatencyHigh\": duplicate alert name \"CheckoutLatencyHigh\" in this group (first at \(bad):4:9)",
            "\(bad):7:9: group \"checkout\", rule 2 \"CheckoutLatencyHigh\": unknown function \"p59\" (functions: p50, p90, p95, p99, quantile, avg, min, max, count, rate, absent, anomaly, burn_rate, error_budget_remaining)",
            "\(bad):8:9: group \"checkout\", rule 2 \"CheckoutLatencyHigh\": for: \"5x\" is not a duration (e.g. 30s, 5m, 1h)",
        ]
        #expect(checked.stderr.split(separator: "\n").prefix(3).map(String.init) == expected, "\(checked.stderr)")

        let refused = try ObsBinary.run(["serve", "--data-dir", directory.file("data"), "--http", "127.0.0.1:0", "--udp", "127.0.0.1:0", "--rules", bad])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("the rule files are invalid; not starting"))
        for line in expected { #expect(refused.stderr.contains(line)) }

        let shipped = try ObsBinary.run(["rules", "check", "rules/"])
        #expect(shipped.status == 0 && shipped.stdout == "3 files, 10 groups, 26 rules, 2 slos: ok\n", "\(shipped.stdout)\(shipped.stderr)")
    }

    @Test("SIGHUP with a broken file keeps the old rules running; a fixed file is loaded")
    func hangup() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rulesDir = directory.file("rules")
        try FileManager.default.createDirectory(atPath: rulesDir, withIntermediateDirectories: true)
        _ = try directory.write("rules/checkout.yaml", Self.rules)
        let daemon = try await DaemonProcess.start(dataDir: directory.file("data"), extraArguments: ["--rules", rulesDir])
        _ = try directory.write("rules/new.yaml", "groups:\n  - name: new\n    rules:\n      - alert: X\n        expr: p95(latency[5m] > 1\n")
        kill(daemon.pid, SIGHUP)
        let refused = try await eventually { daemon.log.contains("The rule files are invalid; the previous rules stay loaded.") }
        #expect(refused)
        let metrics = try await HTTPClient.get(daemon.baseURL.appendingPathComponent("metrics")).text
        #expect(metricValue(metrics, "obs_rules_last_reload_successful") == 0)
        var groups = try await apiData(daemon, "/api/v1/rules")["groups"] as? [[String: Any]] ?? []
        #expect(groups.map { $0["name"] as? String ?? "" } == ["checkout"])

        _ = try directory.write("rules/new.yaml", "groups:\n  - name: new\n    rules:\n      - alert: X\n        expr: p95(latency[5m]) > 1\n")
        kill(daemon.pid, SIGHUP)
        let loaded = try await eventuallyAsync {
            (try await apiData(daemon, "/api/v1/rules")["groups"] as? [[String: Any]] ?? []).count == 2
        }
        #expect(loaded)
        groups = try await apiData(daemon, "/api/v1/rules")["groups"] as? [[String: Any]] ?? []
        #expect(groups.map { $0["name"] as? String ?? "" } == ["checkout", "new"])
        try await daemon.stop()
    }

    /// Half an hour of history an hour ago: one checkout request every 10 s, 3 s slow from
    /// minute 10 to 14 (by hand: pending +610 s, firing +670 s, resolved +900 s).
    @Test("obs rules test replays stored history: the hand-computed episode, from --db with the daemon down and from --url with it up")
    func backtest() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataDir = directory.file("data")
        let t0 = (Int64(Date().timeIntervalSince1970) - 7200) / 10 * 10
        let lines = stride(from: Int64(0), to: 1800, by: 10).map { offset in
            let ms = (600..<840).contains(offset) ? 3000 : 100
            return #"{"ts":\#(t0 + offset),"service":"checkout","duration_ms":\#(ms),"status":200,"route":"/api/pay"}"#
        }.joined(separator: "\n")
        let rules = try directory.write("candidate.yaml", """
            groups:
              - name: candidate
                interval: 10s
                rules:
                  - alert: CheckoutSlow
                    expr: max(latency{service="checkout"}[1m]) > 2s
                    for: 1m
            """)
        let since = String(t0), until = String(t0 + 1800)
        func episodes(_ source: [String]) throws -> [[String: Any]] {
            let run = try ObsBinary.run(["rules", "test", "--rules", rules, "--since", since, "--until", until, "--format", "json"] + source)
            #expect(run.status == 0, "\(run.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            #expect((object?["summary"] as? [[String: Any]])?.first?["evaluations"] as? Int == 180)
            return object?["episodes"] as? [[String: Any]] ?? []
        }
        func expectHandComputed(_ found: [[String: Any]]) {
            #expect(found.count == 1)
            let episode = found.first ?? [:]
            #expect(episode["alertname"] as? String == "CheckoutSlow")
            #expect(episode["labels"] as? [String: String] == ["alertname": "CheckoutSlow", "service": "checkout"])
            #expect(episode["pending_at"] as? String == rfc3339(t0 + 610))
            #expect(episode["firing_at"] as? String == rfc3339(t0 + 670))
            #expect(episode["resolved_at"] as? String == rfc3339(t0 + 900))
            #expect(episode["duration_s"] as? Double == 230)
            #expect(episode["peak_value"] as? Double == 3000)
        }

        let daemon = try await DaemonProcess.start(dataDir: dataDir)
        #expect(try await postLogs(daemon, lines).status == 200)
        // The daemon's own rules stay untouched by a test run: it sends and changes nothing.
        expectHandComputed(try episodes(["--url", daemon.baseURL.absoluteString]))
        try await daemon.stop()
        expectHandComputed(try episodes(["--db", dataDir + "/obs.db"]))

        let ndjson = try ObsBinary.run(["rules", "test", "--rules", rules, "--since", since, "--until", until, "--format", "ndjson", "--db", dataDir + "/obs.db"])
        #expect(ndjson.stdout.split(separator: "\n").count == 1)
        let missing = try ObsBinary.run(["rules", "test", "--rules", rules, "--rule", "Nope", "--db", dataDir + "/obs.db"])
        #expect(missing.status == 1 && missing.stderr.contains("--rule Nope: no such alert"))
    }
}

func rfc3339(_ seconds: Int64) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    return text.replacingOccurrences(of: "Z", with: ".000000000Z")
}

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let withFraction: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
