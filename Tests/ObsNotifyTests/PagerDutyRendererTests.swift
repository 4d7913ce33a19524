import Foundation
import ObsNotify
import Testing

@Suite("PagerDuty Events API v2 body")
struct PagerDutyRendererTests {
    static let options = PayloadOptions(pagerDutyRoutingKey: "R0UT1NGKEY")

    @Test("a firing group triggers, with the full payload")
    func trigger() throws {
        let alerts = [
            try Samples.alert(labels: ["service": "checkout", "pod": "a", "severity": "warning"], annotations: ["summary": "p99 high"], value: 0.92),
            try Samples.alert(labels: ["service": "checkout", "pod": "b", "severity": "critical"], value: 0.95),
            try Samples.alert(labels: ["service": "checkout", "pod": "c", "severity": "page"], status: .resolved, value: 0.1),
        ]
        let rendered = NotificationPayload.render(try Samples.message(alerts), as: .pagerduty, options: Self.options)
        #expect(rendered.path == nil)
        let body = try Samples.object(rendered.body)
        #expect(Set(body.keys) == ["routing_key", "event_action", "dedup_key", "payload", "links", "client", "client_url"])
        #expect(body["routing_key"] as? String == "R0UT1NGKEY")
        #expect(body["event_action"] as? String == "trigger")
        // hashlib.sha256(b'{}:{alertname="HighLatency", service="checkout"}').hexdigest()[:32]
        #expect(body["dedup_key"] as? String == "b92061e81f425f14f875031ff24107a2")
        #expect(body["client"] as? String == "obs")
        #expect(body["client_url"] as? String == "http://127.0.0.1:4318")
        let payload = try #require(body["payload"] as? [String: Any])
        #expect(payload["summary"] as? String == "[FIRING:2] HighLatency checkout: p99 high")
        #expect(payload["source"] as? String == "checkout")
        #expect(payload["component"] as? String == "checkout")
        #expect(payload["severity"] as? String == "critical")
        #expect(payload["timestamp"] as? String == "2026-11-25T14:45:18Z")
        #expect(payload["group"] as? String == "checkout-slo")
        #expect(payload["class"] as? String == "HighLatency")
        let details = try #require(payload["custom_details"] as? [String: Any])
        #expect(details["num_firing"] as? Int == 2)
        #expect(details["num_resolved"] as? Int == 1)
        let firing = try #require(details["firing"] as? String)
        #expect(firing.contains("HighLatency pod=a service=checkout severity=warning\n  summary: p99 high\n  value: 0.92\n  rule: http://127.0.0.1:4318/api/v1/rules?rule_group=checkout-slo&alertname=HighLatency"))
        #expect(firing.contains("pod=b"))
        #expect(details["resolved"] as? String == """
            HighLatency pod=c service=checkout severity=page
              value: 0.1
              rule: http://127.0.0.1:4318/api/v1/rules?rule_group=checkout-slo&alertname=HighLatency
            """)
        let links = try #require(body["links"] as? [[String: String]])
        #expect(links == [["href": "http://127.0.0.1:4318/api/v1/rules?rule_group=checkout-slo&alertname=HighLatency", "text": "obs rule"]])
    }

    @Test("a resolved group sends only what a resolve needs, under the same dedup key")
    func resolve() throws {
        let firing = try Samples.message([try Samples.alert(labels: ["service": "checkout"])])
        let resolved = try Samples.message([try Samples.alert(labels: ["service": "checkout"], status: .resolved)])
        let trigger = try Samples.object(NotificationPayload.render(firing, as: .pagerduty, options: Self.options).body)
        let body = try Samples.object(NotificationPayload.render(resolved, as: .pagerduty, options: Self.options).body)
        #expect(Set(body.keys) == ["routing_key", "event_action", "dedup_key"])
        #expect(body["event_action"] as? String == "resolve")
        #expect(body["routing_key"] as? String == "R0UT1NGKEY")
        #expect(body["dedup_key"] as? String == trigger["dedup_key"] as? String)
        #expect((body["dedup_key"] as? String)?.count == 32)
    }

    @Test("severity label mapped to PagerDuty's levels", arguments: [
        ("critical", "critical"), ("page", "critical"), ("error", "error"), ("warning", "warning"), ("ticket", "warning"),
        ("Warning", "warning"), ("info", "info"), ("low", "info"), ("", "info"),
    ])
    func severity(label: String, expected: String) throws {
        let message = try Samples.message([try Samples.alert(labels: ["severity": label])], groupLabels: ["alertname": "HighLatency"])
        let payload = try #require(try Samples.object(NotificationPayload.render(message, as: .pagerduty, options: Self.options).body)["payload"] as? [String: Any])
        #expect(payload["severity"] as? String == expected)
        #expect(payload["source"] as? String == "obs")
        #expect(payload["component"] == nil)
    }

    @Test("summary at most 1024 characters")
    func summaryLimit() throws {
        let message = try Samples.message([try Samples.alert(annotations: ["summary": String(repeating: "é", count: 5000)])])
        let payload = try #require(try Samples.object(NotificationPayload.render(message, as: .pagerduty, options: Self.options).body)["payload"] as? [String: Any])
        let summary = try #require(payload["summary"] as? String)
        #expect(summary.utf16.count <= PagerDutyRenderer.maxSummary)
        #expect(summary.hasSuffix("…"))
    }
}
