import Foundation
import ObsCore
import ObsNotify
import ObsTesting
import Testing

@Suite("Alertmanager webhook body")
struct AlertmanagerWebhookRendererTests {
    /// The alert and group the fixtures were captured with, as obs would hold them.
    static func fixtureMessage(status: NotificationStatus) throws -> NotificationMessage {
        let alert = NotificationAlert(
            fingerprint: "b937412d4d8e5050", ruleGroup: "checkout slo/v2",
            labels: ["alertname": "HighErrorRate", "route": "/api/pay", "service": "checkout", "severity": "page"],
            annotations: ["runbook_url": "http://127.0.0.1/runbook", "summary": "error rate 12.5% > 5% over 60s"],
            status: status, startsAt: try Samples.time("2026-11-25T14:45:18Z"),
            endsAt: status == .resolved ? try Samples.time("2026-11-25T14:45:26Z") : nil,
            value: status == .resolved ? 0.01 : 0.125)
        return NotificationMessage(receiver: "webhook", groupKey: "{}:{alertname=\"HighErrorRate\", service=\"checkout\"}",
                                   groupLabels: ["alertname": "HighErrorRate", "service": "checkout"], alerts: [alert],
                                   externalURL: "http://vm:19093", renderedAt: try Samples.time("2026-11-25T14:45:30Z"))
    }

    // Alertmanager links to the Prometheus that sent the alert; obs links to its own rules
    // API, so that one field is swapped in the fixture before comparing.
    static let capturedGeneratorURL = "http://127.0.0.1:8080/alerts/42"
    static let obsGeneratorURL = "http://vm:19093/api/v1/rules?rule_group=checkout%20slo%2Fv2&alertname=HighErrorRate"

    static func fixtureText(_ name: String) throws -> String {
        String(decoding: try Fixtures.data(name), as: UTF8.self)
            .replacingOccurrences(of: capturedGeneratorURL, with: obsGeneratorURL)
    }

    @Test("equals Alertmanager's own body, parsed", arguments: [
        (NotificationStatus.firing, "alertmanager_webhook_firing.json"), (.resolved, "alertmanager_webhook_resolved.json"),
    ])
    func matchesFixture(status: NotificationStatus, fixture: String) throws {
        let rendered = NotificationPayload.render(try Self.fixtureMessage(status: status), as: .alertmanager, options: PayloadOptions())
        #expect(rendered.contentType == "application/json")
        #expect(rendered.path == nil)
        let body = NSMutableDictionary(dictionary: try Samples.object(rendered.body))
        #expect(body["obs"] != nil)
        body.removeObject(forKey: "obs")
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(try Self.fixtureText(fixture).utf8)) as? NSDictionary)
        #expect(body.isEqual(expected), "rendered: \(body)\nfixture: \(expected)")
    }

    @Test("same keys in the same order as Alertmanager, then obs's", arguments: [
        (NotificationStatus.firing, "alertmanager_webhook_firing.json"), (.resolved, "alertmanager_webhook_resolved.json"),
    ])
    func matchesFixtureByteForByte(status: NotificationStatus, fixture: String) throws {
        let rendered = NotificationPayload.render(try Self.fixtureMessage(status: status), as: .alertmanager, options: PayloadOptions())
        let text = String(decoding: rendered.body, as: UTF8.self)
        let compact = Self.withoutWhitespace(try Self.fixtureText(fixture))
        let obsPart = try #require(text.range(of: ",\"obs\":"))
        #expect(String(text[..<obsPart.lowerBound]) + "}" == compact)
    }

    @Test("obs.values carries each alert's value, null where there is none or it is not finite")
    func values() throws {
        let alerts = [
            try Samples.alert(labels: ["pod": "a"], value: 0.92),
            try Samples.alert(labels: ["pod": "b"], status: .resolved, value: 0.2),
            try Samples.alert(labels: ["pod": "c"], value: nil),
            try Samples.alert(labels: ["pod": "d"], value: .nan),
            try Samples.alert(labels: ["pod": "e"], value: -.infinity),
        ]
        let body = try Samples.object(NotificationPayload.render(try Samples.message(alerts), as: .alertmanager).body)
        let values = try #require((body["obs"] as? [String: Any])?["values"] as? [String: Any])
        #expect(values.count == 5)
        #expect(values[alerts[0].fingerprint] as? Double == 0.92)
        #expect(values[alerts[1].fingerprint] as? Double == 0.2)
        for alert in alerts[2...] { #expect(values[alert.fingerprint] is NSNull) }
    }

    @Test("common labels and annotations are the pairs every alert shares")
    func commonLabels() throws {
        let alerts = [
            try Samples.alert(labels: ["service": "checkout", "pod": "a", "severity": "page"], annotations: ["summary": "a slow", "runbook": "r"]),
            try Samples.alert(labels: ["service": "checkout", "pod": "b", "severity": "page"], annotations: ["summary": "b slow", "runbook": "r"]),
        ]
        let body = try Samples.object(NotificationPayload.render(try Samples.message(alerts), as: .alertmanager).body)
        #expect(body["commonLabels"] as? [String: String] == ["alertname": "HighLatency", "service": "checkout", "severity": "page"])
        #expect(body["commonAnnotations"] as? [String: String] == ["runbook": "r"])
        #expect(body["status"] as? String == "firing")
    }

    /// The fixture's pretty-printing removed; no string in it contains whitespace that matters.
    static func withoutWhitespace(_ json: String) -> String {
        var result = ""
        var inString = false
        var escaped = false
        for character in json {
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                result.append(character)
            } else if character == "\"" {
                inString = true
                result.append(character)
            } else if !character.isWhitespace {
                result.append(character)
            }
        }
        return result
    }
}
