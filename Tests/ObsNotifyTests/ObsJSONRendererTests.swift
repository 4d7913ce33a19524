import Foundation
import ObsNotify
import Testing

@Suite("obs/1 JSON body")
struct ObsJSONRendererTests {
    @Test("snake_case fields, nanosecond times, null end while firing and null for NaN")
    func body() throws {
        var firing = try Samples.alert(labels: ["service": "checkout", "pod": "a"], annotations: ["summary": "slow"], value: .nan)
        firing.startsAt = try Samples.time("2026-11-25T14:45:18.123456789Z")
        let resolved = try Samples.alert(labels: ["service": "checkout", "pod": "b"], status: .resolved, value: 0.3)
        let rendered = NotificationPayload.render(try Samples.message([firing, resolved], truncatedAlerts: 2), as: .json)
        #expect(rendered.contentType == "application/json")
        #expect(rendered.path == nil)
        let body = try Samples.object(rendered.body)
        #expect(Set(body.keys) == ["version", "receiver", "status", "group_key", "group_labels", "external_url", "alerts", "truncated_alerts"])
        #expect(body["version"] as? String == "obs/1")
        #expect(body["receiver"] as? String == "team")
        #expect(body["status"] as? String == "firing")
        #expect(body["group_key"] as? String == "{}:{alertname=\"HighLatency\", service=\"checkout\"}")
        #expect(body["group_labels"] as? [String: String] == ["alertname": "HighLatency", "service": "checkout"])
        #expect(body["external_url"] as? String == "http://127.0.0.1:4318")
        #expect(body["truncated_alerts"] as? Int == 2)
        let alerts = try #require(body["alerts"] as? [[String: Any]])
        #expect(alerts.count == 2)
        let first = alerts[0]
        #expect(Set(first.keys) == ["alertname", "fingerprint", "rule_group", "labels", "annotations", "status", "starts_at", "ends_at", "value", "generator_url"])
        #expect(first["alertname"] as? String == "HighLatency")
        #expect(first["fingerprint"] as? String == firing.fingerprint)
        #expect(first["rule_group"] as? String == "checkout-slo")
        #expect(first["labels"] as? [String: String] == firing.labels)
        #expect(first["annotations"] as? [String: String] == ["summary": "slow"])
        #expect(first["status"] as? String == "firing")
        #expect(first["starts_at"] as? String == "2026-11-25T14:45:18.123456789Z")
        #expect(first["ends_at"] is NSNull)
        #expect(first["value"] is NSNull)
        #expect(first["generator_url"] as? String == "http://127.0.0.1:4318/api/v1/rules?rule_group=checkout-slo&alertname=HighLatency")
        #expect(alerts[1]["status"] as? String == "resolved")
        #expect(alerts[1]["ends_at"] as? String == "2026-11-25T14:50:00.000000000Z")
        #expect(alerts[1]["value"] as? Double == 0.3)
    }

    @Test("keys in the documented order")
    func keyOrder() throws {
        let text = String(decoding: NotificationPayload.render(try Samples.message([try Samples.alert()]), as: .json).body, as: UTF8.self)
        let keys = ["\"version\"", "\"receiver\"", "\"status\"", "\"group_key\"", "\"group_labels\"", "\"external_url\"", "\"alerts\"",
                    "\"alertname\"", "\"fingerprint\"", "\"rule_group\"", "\"labels\"", "\"annotations\"", "\"starts_at\"", "\"ends_at\"",
                    "\"value\"", "\"generator_url\"", "\"truncated_alerts\""]
        // Each key searched for after the previous one: found only if the order holds.
        var from = text.startIndex
        for key in keys {
            let found = try #require(text.range(of: key, range: from..<text.endIndex), "\(key) missing or out of order")
            from = found.upperBound
        }
    }

    @Test("rule group and alertname percent-encoded in the generator URL")
    func generatorURL() throws {
        let alert = try Samples.alert("Slow & Sad", group: "team a/b=c+d|é")
        #expect(alert.generatorURL(externalURL: "http://obs:4318")
            == "http://obs:4318/api/v1/rules?rule_group=team%20a%2Fb%3Dc%2Bd%7C%C3%A9&alertname=Slow%20%26%20Sad")
    }
}
