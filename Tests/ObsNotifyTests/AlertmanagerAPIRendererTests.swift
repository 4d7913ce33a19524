import Foundation
import ObsNotify
import Testing

@Suite("Alertmanager API push body")
struct AlertmanagerAPIRendererTests {
    @Test("firing alerts end a resend horizon after rendering, resolved ones at their resolve time")
    func states() throws {
        let firing = try Samples.alert(labels: ["service": "checkout", "pod": "a"], annotations: ["summary": "slow"])
        let resolved = try Samples.alert(labels: ["service": "checkout", "pod": "b"], status: .resolved)
        let message = try Samples.message([firing, resolved])
        let rendered = NotificationPayload.render(message, as: .alertmanagerAPI)
        #expect(rendered.path == "/api/v2/alerts")
        #expect(rendered.contentType == "application/json")
        let alerts = try Samples.array(rendered.body)
        #expect(alerts.count == 2)
        #expect(Set(alerts[0].keys) == ["labels", "annotations", "startsAt", "endsAt", "generatorURL"])
        #expect(alerts[0]["labels"] as? [String: String] == firing.labels)
        #expect(alerts[0]["annotations"] as? [String: String] == ["summary": "slow"])
        #expect(alerts[0]["startsAt"] as? String == "2026-11-25T14:45:18Z")
        // renderedAt 14:51:00.25 + the default 4 minutes.
        #expect(alerts[0]["endsAt"] as? String == "2026-11-25T14:55:00.25Z")
        #expect(alerts[0]["generatorURL"] as? String == "http://127.0.0.1:4318/api/v1/rules?rule_group=checkout-slo&alertname=HighLatency")
        #expect(alerts[1]["endsAt"] as? String == "2026-11-25T14:50:00Z")
    }

    @Test("the horizon is configurable, and an absurd one clamps instead of trapping")
    func horizon() throws {
        let message = try Samples.message([try Samples.alert()])
        let short = try Samples.array(NotificationPayload.render(message, as: .alertmanagerAPI, options: PayloadOptions(alertmanagerAPIResendHorizon: .seconds(90))).body)
        #expect(short[0]["endsAt"] as? String == "2026-11-25T14:52:30.25Z")
        let huge = try Samples.array(NotificationPayload.render(message, as: .alertmanagerAPI, options: PayloadOptions(alertmanagerAPIResendHorizon: .seconds(Int64.max))).body)
        #expect(huge[0]["endsAt"] as? String == "2262-04-11T23:47:16.854775807Z")
    }
}
