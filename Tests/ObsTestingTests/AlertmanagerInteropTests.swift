import Foundation
import ObsTesting
import Testing

/// The real Prometheus Alertmanager 0.25 (scripts/setup-alertmanager.sh installs it) fed the alert
/// payload Prometheus posts, delivering its webhook v4 notifications to a `WebhookRecorder`.
@Suite("Prometheus Alertmanager interoperability")
struct AlertmanagerInteropTests {
    static let labels = ["alertname": "HighLatency", "service": "checkout", "severity": "page"]

    /// Prometheus's own encoding: RFC 3339 with whole seconds, which Alertmanager echoes back unchanged.
    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func alertBody(startsAt: String, endsAt: String) throws -> Data {
        let alert: [String: Any] = [
            "labels": labels,
            "annotations": ["summary": "p95 2.5s"],
            "startsAt": startsAt,
            "endsAt": endsAt,
            "generatorURL": "http://127.0.0.1:4318/api/v1/rules",
        ]
        return try JSONSerialization.data(withJSONObject: [alert], options: [.sortedKeys, .withoutEscapingSlashes])
    }

    struct AlertmanagerFailure: Error, CustomStringConvertible {
        var description: String
    }

    @Test("a firing alert, then its resolution, arrive as webhook v4 notifications")
    func firingThenResolved() async throws {
        try requireBinary()
        let directory = try TemporaryDirectory("alertmanager")
        defer { directory.remove() }
        try await WebhookRecorder.withRecorder { recorder in
            let alertmanager = try await AlertmanagerProcess.start(webhookURL: recorder.url("/alertmanager"), directory: directory.path)
            do {
                try await exercise(alertmanager, recorder)
            } catch {
                try? await alertmanager.stop()
                throw AlertmanagerFailure(description: "\(error)\n--- Alertmanager's log:\n\(alertmanager.stderr)")
            }
            try await alertmanager.stop()
        }
    }

    @Test("a start-up failure reports Alertmanager's own complaint")
    func startFailureCarriesStderr() async throws {
        try requireBinary()
        let directory = try TemporaryDirectory("alertmanager")
        defer { directory.remove() }
        do {
            let started = try await AlertmanagerProcess.start(
                webhookURL: "http://127.0.0.1:9/hook", directory: directory.path, extraArguments: ["--no-such-flag"]
            )
            try await started.stop()
            Issue.record("Alertmanager started despite an unknown flag")
        } catch let error as AlertmanagerProcess.StartError {
            #expect(error.description.contains("exited with"))
            #expect(error.description.contains("no-such-flag"), "\(error)")
        }
    }

    /// Fails rather than skips: a CI machine without Alertmanager must not pass the interop suite silently.
    private func requireBinary() throws {
        try #require(
            AlertmanagerProcess.binaryPath != nil,
            "prometheus-alertmanager is not installed: \(AlertmanagerProcess.setupHint)"
        )
    }

    private func exercise(_ alertmanager: AlertmanagerProcess, _ recorder: WebhookRecorder) async throws {
        let alertsURL = try #require(URL(string: alertmanager.baseURL + "/api/v2/alerts"))
        let now = Date()
        let startsAt = Self.rfc3339(now)
        let firing = try await HTTPClient.post(
            alertsURL, body: Self.alertBody(startsAt: startsAt, endsAt: Self.rfc3339(now + 300)),
            headers: ["Content-Type": "application/json"]
        )
        #expect(firing.status == 200, "POST /api/v2/alerts answered \(firing.status): \(firing.text)")

        let fired = try await notification(withStatus: "firing", from: recorder)
        #expect(fired.request.method == "POST")
        #expect(fired.request.path == "/alertmanager")
        #expect(fired.request.header("Content-Type") == "application/json")
        #expect(fired.request.header("User-Agent")?.hasPrefix("Alertmanager/") == true)
        #expect(fired.body["version"] as? String == "4")
        #expect(fired.body["receiver"] as? String == "recorder")
        #expect(fired.body["externalURL"] as? String == alertmanager.baseURL)
        #expect(fired.body["groupLabels"] as? [String: String] == ["alertname": "HighLatency", "service": "checkout"])
        #expect(fired.body["commonLabels"] as? [String: String] == Self.labels)
        #expect(fired.body["commonAnnotations"] as? [String: String] == ["summary": "p95 2.5s"])
        let firedAlert = try onlyAlert(fired.body)
        #expect(firedAlert["status"] as? String == "firing")
        #expect(firedAlert["labels"] as? [String: String] == Self.labels)
        #expect(firedAlert["annotations"] as? [String: String] == ["summary": "p95 2.5s"])
        #expect(firedAlert["startsAt"] as? String == startsAt)
        // Alertmanager blanks the end time of a firing alert to Go's zero time rather than echoing ours.
        #expect(firedAlert["endsAt"] as? String == "0001-01-01T00:00:00Z")
        #expect(firedAlert["generatorURL"] as? String == "http://127.0.0.1:4318/api/v1/rules")
        #expect((firedAlert["fingerprint"] as? String)?.count == 16)

        // Prometheus resolves an alert by sending it once more with endsAt set to the resolution time.
        let endsAt = Self.rfc3339(Date())
        let resolving = try await HTTPClient.post(
            alertsURL, body: Self.alertBody(startsAt: startsAt, endsAt: endsAt), headers: ["Content-Type": "application/json"]
        )
        #expect(resolving.status == 200, "POST /api/v2/alerts answered \(resolving.status): \(resolving.text)")

        let resolved = try await notification(withStatus: "resolved", from: recorder)
        #expect(resolved.body["groupKey"] as? String == fired.body["groupKey"] as? String)
        let resolvedAlert = try onlyAlert(resolved.body)
        #expect(resolvedAlert["status"] as? String == "resolved")
        #expect(resolvedAlert["labels"] as? [String: String] == Self.labels)
        #expect(resolvedAlert["startsAt"] as? String == startsAt)
        #expect(resolvedAlert["endsAt"] as? String == endsAt)
        #expect(resolvedAlert["fingerprint"] as? String == firedAlert["fingerprint"] as? String)
    }

    /// The first notification with this group status, skipping others (a repeat of the firing one, say).
    private func notification(
        withStatus status: String, from recorder: WebhookRecorder
    ) async throws -> (request: RecordedRequest, body: [String: Any]) {
        var seen = 0
        while true {
            let requests = try await recorder.waitForRequests(count: seen + 1)
            for request in requests[seen...] {
                let body = try request.jsonObject()
                if body["status"] as? String == status { return (request, body) }
            }
            seen = requests.count
        }
    }

    private func onlyAlert(_ body: [String: Any]) throws -> [String: Any] {
        let alerts = try #require(body["alerts"] as? [[String: Any]])
        try #require(alerts.count == 1, "expected one alert in \(body)")
        return alerts[0]
    }
}
