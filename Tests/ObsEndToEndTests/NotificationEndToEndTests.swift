import Crypto
import Foundation
import ObsTesting
import Testing

/// A daemon with rules and receivers, started as a process, and a webhook recorder as the
/// receiver: what arrives over real sockets.
struct NotifyingDaemon {
    static let secret = "e2e-webhook-secret"

    static let rules = """
        groups:
          - name: checkout
            interval: 1s
            rules:
              - alert: CheckoutLatencyHigh
                expr: p95(latency{service="checkout"}[1m]) by (service, route) > 1s
                for: 1s
                labels: {severity: page}
                annotations: {summary: "checkout p95 is {{ $value }}"}
        """

    static func config(receiverURL: String, format: String = "alertmanager", groupWait: String = "0s",
                       extraReceiverKeys: String = "") -> String {
        """
        external_url: http://obs.e2e.test:4318
        receivers:
          - name: oncall
            url: "\(receiverURL)"
            format: \(format)
            secret_env: OBS_WEBHOOK_SECRET
            backoff: {initial: 200ms, max: 400ms}
        \(extraReceiverKeys)
        route: {receiver: oncall, group_wait: \(groupWait), group_interval: 1s, repeat_interval: 4h}
        """
    }

    static func start(_ directory: TemporaryDirectory, config: String, dataDir: String? = nil) async throws -> DaemonProcess {
        let rules = try directory.write("rules.yaml", Self.rules)
        let configFile = try directory.write("obs.yaml", config)
        return try await DaemonProcess.start(
            dataDir: dataDir ?? directory.file("data"), extraArguments: ["--rules", rules, "--config", configFile],
            environment: ["OBS_WEBHOOK_SECRET": secret]
        )
    }

    static func slowCheckout(_ routes: [String] = ["/api/pay"]) -> String {
        routes.flatMap { route in
            (0..<20).map { _ in
                #"{"ts":\#(Date().timeIntervalSince1970),"service":"checkout","duration_ms":3000,"status":200,"route":"\#(route)","method":"POST"}"#
            }
        }.joined(separator: "\n")
    }

    /// The receiver-side check the README shows, done independently with swift-crypto.
    static func signatureIsValid(_ request: RecordedRequest) -> Bool {
        guard let timestamp = request.header("X-Obs-Timestamp"), let signature = request.header("X-Obs-Signature") else { return false }
        let mac = HMAC<SHA256>.authenticationCode(for: Array(timestamp.utf8) + Array(".".utf8) + request.body,
                                                  using: SymmetricKey(data: Array(secret.utf8)))
        return signature == "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    static func notifications(_ daemon: DaemonProcess, _ query: String = "") async throws -> [[String: Any]] {
        let reply = try await HTTPClient.get(URL(string: daemon.baseURL.absoluteString + "/api/v1/notifications" + query)!)
        return try reply.json()["notifications"] as? [[String: Any]] ?? []
    }
}

@Suite("Notifications, end to end with the real daemon and a real receiver", .serialized)
struct NotificationEndToEndTests {
    @Test("a latency spike: exactly one signed Alertmanager-shaped POST; fast requests: one resolved POST with the resolving value")
    func firingAndResolved() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await WebhookRecorder.withRecorder { recorder in
            let daemon = try await NotifyingDaemon.start(directory, config: NotifyingDaemon.config(receiverURL: recorder.url()))
            #expect(try await postLogs(daemon, NotifyingDaemon.slowCheckout()).status == 200)
            let firing = try await recorder.waitForRequests(count: 1)[0]
            #expect(firing.method == "POST" && firing.path == "/hook")
            #expect(NotifyingDaemon.signatureIsValid(firing), "bad signature: \(firing.summary)")
            let key = try #require(firing.header("Idempotency-Key"))
            let body = try firing.jsonObject()
            #expect(body["version"] as? String == "4")
            #expect(body["status"] as? String == "firing")
            #expect(body["receiver"] as? String == "oncall")
            #expect(body["groupKey"] as? String == #"{}:{alertname="CheckoutLatencyHigh", service="checkout"}"#)
            let alert = try #require((body["alerts"] as? [[String: Any]])?.first)
            #expect(alert["endsAt"] as? String == "0001-01-01T00:00:00Z")
            #expect((alert["labels"] as? [String: String])?["route"] == "/api/pay")
            #expect((alert["generatorURL"] as? String)?.hasPrefix("http://obs.e2e.test:4318/api/v1/rules?") == true)

            #expect(try await postLogs(daemon, requestLines(2000, ms: 100)).status == 200)
            let resolved = try await recorder.waitForRequests(count: 2)[1]
            #expect(NotifyingDaemon.signatureIsValid(resolved))
            #expect(resolved.header("Idempotency-Key") != key)
            let resolvedBody = try resolved.jsonObject()
            #expect(resolvedBody["status"] as? String == "resolved")
            let fingerprint = try #require(alert["fingerprint"] as? String)
            let value = ((resolvedBody["obs"] as? [String: Any])?["values"] as? [String: Any])?[fingerprint] as? Double ?? -1
            let history = try await transitions(daemon)
            #expect(history.last?["state"] as? String == "resolved")
            #expect(value == history.last?["value"] as? Double, "obs.values carries \(value), the history \(history.last ?? [:])")
            #expect(abs(value - 100) <= 1, "resolved with \(value), not the fast requests' p95 (100 ms)")

            // Later group_interval ticks send nothing more.
            try await Task.sleep(for: .seconds(3))
            #expect(recorder.requests.count == 2, "\(recorder.requests.map(\.summary))")
            let records = try await NotifyingDaemon.notifications(daemon)
            #expect(records.map { $0["status"] as? String } == ["delivered", "delivered"])
            let listed = try ObsBinary.run(["query", "notifications", "--url", daemon.baseURL.absoluteString, "--format", "table"])
            #expect(listed.status == 0 && listed.stdout.contains("delivered") && listed.stdout.contains("oncall"), "\(listed.stderr)")
            try await daemon.stop()
        }
    }

    @Test("the receiver answers 503 for a while: delivered once afterwards, every attempt under the same idempotency key")
    func retriesUntilDelivered() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await WebhookRecorder.withRecorder { recorder in
            recorder.respond(withSequence: [.status(503), .status(503, retryAfter: "1"), .status(500), .ok])
            let daemon = try await NotifyingDaemon.start(directory, config: NotifyingDaemon.config(receiverURL: recorder.url()))
            #expect(try await postLogs(daemon, NotifyingDaemon.slowCheckout()).status == 200)
            let requests = try await recorder.waitForRequests(count: 4)
            #expect(Set(requests.compactMap { $0.header("Idempotency-Key") }).count == 1)
            #expect(requests.allSatisfy { NotifyingDaemon.signatureIsValid($0) })
            let delivered = try await eventuallyAsync {
                try await NotifyingDaemon.notifications(daemon).first?["status"] as? String == "delivered"
            }
            #expect(delivered)
            let record = try await NotifyingDaemon.notifications(daemon).first
            #expect(record?["attempts"] as? Int == 4)
            #expect(record?["last_status_code"] as? Int == 200)
            try await Task.sleep(for: .seconds(2))
            #expect(recorder.requests.count == 4)
            try await daemon.stop()
        }
    }

    @Test("a 400 is permanent: the notification is dead with the receiver's answer kept, and nothing is retried")
    func permanentFailure() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await WebhookRecorder.withRecorder { recorder in
            recorder.respond(withSequence: [.status(400, body: "unknown field \"obs\"")])
            let daemon = try await NotifyingDaemon.start(directory, config: NotifyingDaemon.config(receiverURL: recorder.url()))
            #expect(try await postLogs(daemon, NotifyingDaemon.slowCheckout()).status == 200)
            _ = try await recorder.waitForRequests(count: 1)
            let dead = try await eventuallyAsync { try await NotifyingDaemon.notifications(daemon, "?status=dead").count == 1 }
            #expect(dead)
            let record = try await NotifyingDaemon.notifications(daemon, "?status=dead").first
            #expect(record?["last_error"] as? String == #"HTTP 400: unknown field "obs""#)
            let metrics = try await HTTPClient.get(daemon.baseURL.appendingPathComponent("metrics")).text
            #expect(metrics.contains(#"obs_notify_dead_total{receiver="oncall"} 1"#), "\(metrics)")
            try await Task.sleep(for: .seconds(1))
            #expect(recorder.requests.count == 1)
            try await daemon.stop()
        }
    }

    @Test("kill -9 while a delivery is in flight: after the restart it is delivered, once, under the same key")
    func crashBeforeDelivery() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await WebhookRecorder.withRecorder { recorder in
            // The first POST never gets an answer: the daemon dies while waiting for it.
            recorder.respond(withSequence: [.hang(for: .seconds(60)), .ok])
            let dataDir = directory.file("data")
            let config = NotifyingDaemon.config(receiverURL: recorder.url(), extraReceiverKeys: "    timeout: 30s")
            var daemon = try await NotifyingDaemon.start(directory, config: config, dataDir: dataDir)
            #expect(try await postLogs(daemon, NotifyingDaemon.slowCheckout()).status == 200)
            let first = try await recorder.waitForRequests(count: 1)[0]
            try await daemon.stop(signal: SIGKILL)

            daemon = try await NotifyingDaemon.start(directory, config: config, dataDir: dataDir)
            let second = try await recorder.waitForRequests(count: 2)[1]
            #expect(second.header("Idempotency-Key") == first.header("Idempotency-Key"))
            #expect(second.body == first.body)
            let delivered = try await eventuallyAsync {
                try await NotifyingDaemon.notifications(daemon).first?["status"] as? String == "delivered"
            }
            #expect(delivered)
            try await Task.sleep(for: .seconds(2))
            #expect(recorder.requests.count == 2, "\(recorder.requests.map(\.summary))")
            #expect(try await NotifyingDaemon.notifications(daemon).count == 1)
            try await daemon.stop()
        }
    }

    @Test("three alerts of a group within group_wait: one POST with all three")
    func groupWait() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await WebhookRecorder.withRecorder { recorder in
            let daemon = try await NotifyingDaemon.start(
                directory, config: NotifyingDaemon.config(receiverURL: recorder.url(), groupWait: "3s"))
            #expect(try await postLogs(daemon, NotifyingDaemon.slowCheckout(["/api/pay"])).status == 200)
            try await Task.sleep(for: .milliseconds(1200))
            #expect(try await postLogs(daemon, NotifyingDaemon.slowCheckout(["/api/cart", "/api/ship"])).status == 200)
            let first = try await recorder.waitForRequests(count: 1)[0]
            let routes = (try first.jsonObject()["alerts"] as? [[String: Any]] ?? []).compactMap { ($0["labels"] as? [String: String])?["route"] }
            #expect(routes.sorted() == ["/api/cart", "/api/pay", "/api/ship"])
            try await Task.sleep(for: .seconds(3))
            #expect(recorder.requests.count == 1, "\(recorder.requests.map(\.summary))")
            try await daemon.stop()
        }
    }

    @Test("obs silence add suppresses (the alert shows as suppressed), obs silence expire releases it")
    func silence() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await WebhookRecorder.withRecorder { recorder in
            let daemon = try await NotifyingDaemon.start(directory, config: NotifyingDaemon.config(receiverURL: recorder.url()))
            let url = daemon.baseURL.absoluteString
            let added = try ObsBinary.run(["silence", "add", "--match", "service=checkout", "--match", "alertname=~CheckoutLatency.*",
                                           "--for", "2h", "--comment", "deploy", "--author", "e2e", "--url", url])
            #expect(added.status == 0, "\(added.stderr)")
            let id = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(id.count == 36, "not an id: \(added.stdout)")
            #expect(try await postLogs(daemon, NotifyingDaemon.slowCheckout()).status == 200)
            let suppressed = try await eventuallyAsync { try await activeAlerts(daemon).first?["state"] as? String == "suppressed" }
            #expect(suppressed)
            #expect(try await activeAlerts(daemon).first?["suppressedBy"] as? [String] == [id])
            try await Task.sleep(for: .seconds(3))
            #expect(recorder.requests.isEmpty, "a silenced alert was notified: \(recorder.requests.map(\.summary))")

            let expired = try ObsBinary.run(["silence", "expire", id, "--url", url])
            #expect(expired.status == 0, "\(expired.stderr)")
            let released = try await recorder.waitForRequests(count: 1)[0]
            #expect(try released.jsonObject()["status"] as? String == "firing")
            let listed = try ObsBinary.run(["silence", "list", "--url", url, "--format", "json"])
            let silences = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any]
            let first = (silences?["silences"] as? [[String: Any]])?.first
            #expect(first?["state"] as? String == "expired")
            #expect(first?["matchers"] as? [String] == [#"service="checkout""#, #"alertname=~"CheckoutLatency.*""#])

            let refused = try ObsBinary.run(["silence", "add", "--match", "service=~(", "--for", "1h", "--url", url])
            #expect(refused.status == 1 && refused.stderr.contains("invalid regular expression"), "\(refused.stderr)")
            let zero = try ObsBinary.run(["silence", "add", "--match", "service=checkout", "--for", "0s", "--url", url])
            #expect(zero.status != 0 && zero.stderr.contains("longer than 0s"), "\(zero.stderr)")
            let api = try await HTTPClient.post(URL(string: url + "/api/v1/silences")!,
                                                body: Data(#"{"matchers":["service=~\"(\""],"duration":"1h"}"#.utf8))
            #expect(api.status == 400 && api.text.contains("invalid regular expression"), "\(api.text)")
            try await daemon.stop()
        }
    }

    @Test("interop: obs pushes to a real Alertmanager (format alertmanager-api), which sends its own firing and resolved webhooks")
    func alertmanagerInterop() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await WebhookRecorder.withRecorder { recorder in
            guard AlertmanagerProcess.binaryPath != nil else {
                Issue.record("prometheus-alertmanager is not installed: \(AlertmanagerProcess.setupHint)")
                return
            }
            try FileManager.default.createDirectory(atPath: directory.file("alertmanager"), withIntermediateDirectories: true)
            let alertmanager = try await AlertmanagerProcess.start(webhookURL: recorder.url("/from-alertmanager"),
                                                                   directory: directory.file("alertmanager"))
            do {
                let daemon = try await NotifyingDaemon.start(
                    directory, config: NotifyingDaemon.config(receiverURL: alertmanager.baseURL, format: "alertmanager-api"))
                #expect(try await postLogs(daemon, NotifyingDaemon.slowCheckout()).status == 200)
                let firing = try await recorder.waitForRequests(count: 1, timeout: .seconds(60))[0]
                let firingBody = try firing.jsonObject()
                #expect(firing.header("User-Agent")?.hasPrefix("Alertmanager/") == true)
                #expect(firingBody["status"] as? String == "firing")
                let alert = (firingBody["alerts"] as? [[String: Any]])?.first
                #expect((alert?["labels"] as? [String: String])?["alertname"] == "CheckoutLatencyHigh")
                #expect((alert?["generatorURL"] as? String)?.hasPrefix("http://obs.e2e.test:4318/api/v1/rules?") == true)

                #expect(try await postLogs(daemon, requestLines(2000, ms: 100)).status == 200)
                let resolved = try await eventuallyAsync(attempts: 1200) {
                    recorder.requests.contains { (try? $0.jsonObject()["status"] as? String) == "resolved" }
                }
                #expect(resolved, "Alertmanager never sent the resolution: \(recorder.requests.map(\.summary))\n\(alertmanager.stderr)")
                try await daemon.stop()
            } catch {
                try? await alertmanager.stop()
                throw error
            }
            try await alertmanager.stop()
        }
    }
}
