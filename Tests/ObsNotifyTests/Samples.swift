import Foundation
import ObsCore
import ObsNotify
import Testing

/// Messages and parsing shared by the renderer tests.
enum Samples {
    static func time(_ text: String) throws -> Timestamp { try Timestamp.parse(text).get() }

    static func alert(_ name: String = "HighLatency", labels: [String: String] = [:], annotations: [String: String] = [:],
                      status: NotificationStatus = .firing, value: Double? = 0.92, group: String = "checkout-slo") throws -> NotificationAlert {
        var all = labels
        all["alertname"] = name
        // Deterministic and distinct per label set, like the real fingerprint.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in all.sorted(by: { $0.key < $1.key }).description.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let digits = String(hash, radix: 16)
        let fingerprint = String(repeating: "0", count: 16 - digits.count) + digits
        return NotificationAlert(fingerprint: fingerprint, ruleGroup: group, labels: all, annotations: annotations, status: status,
                                 startsAt: try time("2026-11-25T14:45:18Z"),
                                 endsAt: status == .resolved ? try time("2026-11-25T14:50:00Z") : nil, value: value)
    }

    static func message(_ alerts: [NotificationAlert], groupLabels: [String: String] = ["alertname": "HighLatency", "service": "checkout"],
                        truncatedAlerts: Int = 0) throws -> NotificationMessage {
        NotificationMessage(receiver: "team", groupKey: "{}:{alertname=\"HighLatency\", service=\"checkout\"}", groupLabels: groupLabels,
                            alerts: alerts, externalURL: "http://127.0.0.1:4318", renderedAt: try time("2026-11-25T14:51:00.25Z"),
                            truncatedAlerts: truncatedAlerts)
    }

    static func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    static func array(_ bytes: [UInt8]) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [[String: Any]])
    }
}
