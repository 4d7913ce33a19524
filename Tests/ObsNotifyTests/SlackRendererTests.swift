import Foundation
import ObsNotify
import Testing

@Suite("Slack incoming-webhook body")
struct SlackRendererTests {
    static func blocks(_ body: [String: Any]) throws -> [[String: Any]] {
        try #require(body["blocks"] as? [[String: Any]])
    }

    static func text(of block: [String: Any]) -> String? {
        (block["text"] as? [String: Any])?["text"] as? String
    }

    @Test("a title in Alertmanager's style, then one mrkdwn section per alert")
    func structure() throws {
        let alerts = [
            try Samples.alert(labels: ["service": "checkout", "pod": "web-1", "severity": "page"],
                              annotations: ["summary": "p99 > 500ms", "description": "p99 is 920ms & rising"], value: 0.92),
            try Samples.alert(labels: ["service": "checkout", "pod": "web-2", "severity": "page"], annotations: ["summary": "p99 > 500ms"], value: 0.61),
        ]
        let rendered = NotificationPayload.render(try Samples.message(alerts), as: .slack)
        #expect(rendered.contentType == "application/json")
        let body = try Samples.object(rendered.body)
        #expect(body["text"] as? String == "[FIRING:2] HighLatency checkout (page)")
        let blocks = try Self.blocks(body)
        #expect(blocks.map { $0["type"] as? String } == ["header", "section", "section"])
        #expect((blocks[0]["text"] as? [String: Any])?["type"] as? String == "plain_text")
        #expect(Self.text(of: blocks[0]) == "[FIRING:2] HighLatency checkout (page)")
        #expect((blocks[1]["text"] as? [String: Any])?["type"] as? String == "mrkdwn")
        let first = try #require(Self.text(of: blocks[1]))
        #expect(first == """
            *HighLatency* · firing
            pod=web-1, severity=page
            p99 > 500ms
            p99 is 920ms &amp; rising
            Value: `0.92`
            <http://127.0.0.1:4318/api/v1/rules?rule_group=checkout-slo&amp;alertname=HighLatency|rule>
            """.replacingOccurrences(of: "p99 > 500ms", with: "p99 &gt; 500ms"))
        #expect(Self.text(of: blocks[2])?.contains("pod=web-2") == true)
    }

    @Test("resolved title carries no count")
    func resolved() throws {
        let message = try Samples.message([try Samples.alert(labels: ["service": "checkout"], status: .resolved)])
        #expect(try Samples.object(NotificationPayload.render(message, as: .slack).body)["text"] as? String == "[RESOLVED] HighLatency checkout")
    }

    @Test("at most 50 blocks: alerts beyond them counted in a last line", arguments: [
        (49, 0, 50, nil), (50, 0, 50, "… and 2 more"), (120, 0, 50, "… and 72 more"), (10, 3, 12, "… and 3 more"),
    ] as [(Int, Int, Int, String?)])
    func blockLimit(alertCount: Int, truncated: Int, expectedBlocks: Int, moreLine: String?) throws {
        let alerts = try (0..<alertCount).map { try Samples.alert(labels: ["service": "checkout", "pod": "web-\($0)"]) }
        let message = try Samples.message(alerts, truncatedAlerts: truncated)
        let blocks = try Self.blocks(try Samples.object(NotificationPayload.render(message, as: .slack).body))
        #expect(blocks.count == expectedBlocks)
        #expect(blocks.count <= SlackRenderer.maxBlocks)
        let last = try #require(blocks.last)
        if let moreLine {
            #expect(last["type"] as? String == "context")
            #expect(((last["elements"] as? [[String: Any]])?.first)?["text"] as? String == moreLine)
        } else {
            #expect(last["type"] as? String == "section")
        }
    }

    @Test("section text at most 3000, the link kept whole; header at most 150")
    func textLimits() throws {
        let long = String(repeating: "ü🙂x ", count: 3000)
        let alert = try Samples.alert(labels: ["service": "checkout", "detail": long], annotations: ["summary": long])
        let message = try Samples.message([alert], groupLabels: ["alertname": "HighLatency", "service": long])
        let blocks = try Self.blocks(try Samples.object(NotificationPayload.render(message, as: .slack).body))
        let header = try #require(Self.text(of: blocks[0]))
        #expect(header.utf16.count <= SlackRenderer.maxHeaderText)
        #expect(header.hasSuffix("…"))
        let section = try #require(Self.text(of: blocks[1]))
        #expect(section.utf16.count <= SlackRenderer.maxSectionText)
        #expect(section.hasSuffix("|rule>"))
        #expect(section.contains("…\n<http://127.0.0.1:4318/api/v1/rules?"))
    }
}
