import Foundation
import ObsTesting
import Testing

@Suite("anomaly() end to end: the real daemon, a backfilled history, the alert and the query")
struct AnomalyEndToEndTests {
    static let rules = """
        groups:
          - name: anomalies
            interval: 2s
            rules:
              - alert: LatencyAnomaly
                expr: anomaly(avg(latency[1m]) by (service), baseline=10m) > 3
                labels: {severity: ticket}
                annotations: {summary: "{{ $labels.service }} scores {{ $value }}"}
        """

    @Test("half an hour of backfilled history, then checkout ten times slower: a rule loaded after it learns from it and fires for checkout only; the query shows both scores")
    func levelShift() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // The rule is loaded once the history is in: a running detector samples as it
        // evaluates and does not re-read a later backfill; a new rule rebuilds from the rollups.
        let rules = try directory.write("anomalies.yaml", "groups: []\n")
        let daemon = try await DaemonProcess.start(dataDir: directory.file("data"), extraArguments: ["--rules", rules])
        do {
            let now = Date().timeIntervalSince1970.rounded(.down)
            var lines: [String] = []
            func line(_ seconds: Double, _ service: String, _ ms: Double) -> String {
                #"{"ts":\#(seconds),"service":"\#(service)","duration_ms":\#(ms),"status":200,"route":"/api/pay","method":"POST"}"#
            }
            for step in 0..<174 {
                let seconds = now - 1800 + Double(step * 10)
                let wiggle = Double((step * 7919) % 11) - 5
                lines.append(line(seconds, "checkout", 100 + wiggle))
                lines.append(line(seconds, "cart", 50 + wiggle / 2))
            }
            // The last minute: checkout at a second, cart as before.
            for step in 0..<12 {
                let seconds = now - 60 + Double(step * 5)
                lines.append(line(seconds, "checkout", 1000))
                lines.append(line(seconds, "cart", 50))
            }
            let reply = try await postLogs(daemon, lines.joined(separator: "\n"), headers: ["Content-Type": "application/x-ndjson"])
            #expect(reply.status == 200, "\(reply.text)")
            _ = try directory.write("anomalies.yaml", Self.rules)
            let reloaded = try await HTTPClient.post(URL(string: daemon.baseURL.absoluteString + "/-/reload")!, body: Data())
            #expect(reloaded.status == 200, "\(reloaded.text)")

            // Generous: on a loaded machine the first evaluation (the rebuild) may overrun the
            // 2 s interval; it finishes in the background and the next one streams. (The
            // checkout minute stays in the 1 m windows for a minute.)
            let fired = try await eventuallyAsync(attempts: 800) {
                try await activeAlerts(daemon).contains { ($0["labels"] as? [String: String])?["service"] == "checkout" && $0["state"] as? String == "firing" }
            }
            let health = fired ? "" : "\(try await apiData(daemon, "/api/v1/rules"))"
            #expect(fired, "\(health)")
            let alerting = try await activeAlerts(daemon).compactMap { ($0["labels"] as? [String: String])?["service"] }
            #expect(alerting == ["checkout"], "\(alerting)")

            let query = "anomaly(avg(latency[1m]) by (service), baseline=10m)"
            let data = try await apiData(daemon, "/api/v1/query?expr=" + (query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            let result = try #require(data["result"] as? [[String: Any]])
            var scores: [String: Double] = [:]
            for series in result {
                let service = (series["metric"] as? [String: String])?["service"] ?? ""
                scores[service] = ((series["value"] as? [Any])?.last as? String).flatMap(Double.init)
            }
            #expect((scores["checkout"] ?? 0) > 3, "\(scores)")
            #expect((scores["cart"] ?? 99) <= 3, "\(scores)")

            let bad = try ObsBinary.run(["query", "anomaly(avg(latency[1m]), season=2d)", "--url", daemon.baseURL.absoluteString])
            #expect(bad.status != 0 && bad.stderr.contains("1:34: season=2d is not none, 1d or 1w"), "\(bad.stderr)")
            try await daemon.stop()
        } catch {
            _ = try? await daemon.stop(signal: SIGKILL)
            throw error
        }
    }
}
