extension NotificationAlert {
    /// Where a receiver links back to the alert: obs's rules API narrowed to this alert's rule.
    public func generatorURL(externalURL: String) -> String {
        externalURL + "/api/v1/rules?rule_group=" + Self.queryComponent(ruleGroup) + "&alertname=" + Self.queryComponent(alertname)
    }

    /// Percent-encodes all but RFC 3986's unreserved characters: stricter than a query needs,
    /// but then no receiver's URL parser (or Slack's `<url|text>` markup) can misread a value
    /// containing `&`, `=`, `+`, `|` or `>`.
    static func queryComponent(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes.append(contentsOf: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
