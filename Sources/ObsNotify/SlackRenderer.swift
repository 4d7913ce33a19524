import ObsCore

/// A Slack incoming-webhook body: a plain `text` (what notifications and old clients show)
/// and Block Kit blocks, one section per alert.
///
/// Slack rejects a message over its limits outright (`invalid_blocks`), losing the whole
/// notification, so the body is cut to fit: at most `maxBlocks` blocks, the alerts beyond
/// them summed up in a last "… and N more" line, and each text within its block's limit.
public struct SlackRenderer: PayloadRenderer {
    public static let maxBlocks = 50
    public static let maxSectionText = 3000
    public static let maxHeaderText = 150
    /// Slack truncates `text` at 40,000 characters; a title never comes near, but labels may.
    public static let maxFallbackText = 3000

    public init() {}

    public func render(_ message: NotificationMessage, options: PayloadOptions) -> RenderedPayload {
        let title = NotificationTitle.of(message)
        let groupLabelNames = Set(message.groupLabels.keys)
        // The header takes one block; a "more" line, when needed, another.
        let fitsAll = 1 + message.alerts.count <= Self.maxBlocks && message.truncatedAlerts == 0
        let shown = fitsAll ? message.alerts.count : min(message.alerts.count, Self.maxBlocks - 2)
        let more = message.alerts.count - shown + message.truncatedAlerts

        var json = JSONWriter(capacity: 1024 + 512 * shown)
        json.beginObject()
        json.key("text"); json.string(TextLimit.truncate(title, to: Self.maxFallbackText))
        json.key("blocks")
        json.beginArray()
        json.beginObject()
        json.key("type"); json.string("header")
        json.key("text")
        json.beginObject()
        json.key("type"); json.string("plain_text")
        json.key("text"); json.string(TextLimit.truncate(title, to: Self.maxHeaderText))
        json.endObject()
        json.endObject()
        for alert in message.alerts.prefix(shown) {
            json.beginObject()
            json.key("type"); json.string("section")
            json.key("text")
            json.beginObject()
            json.key("type"); json.string("mrkdwn")
            json.key("text"); json.string(sectionText(alert, hiding: groupLabelNames, externalURL: message.externalURL))
            json.endObject()
            json.endObject()
        }
        if more > 0 {
            json.beginObject()
            json.key("type"); json.string("context")
            json.key("elements")
            json.beginArray()
            json.beginObject()
            json.key("type"); json.string("mrkdwn")
            json.key("text"); json.string("… and \(more) more")
            json.endObject()
            json.endArray()
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return RenderedPayload(body: json.bytes)
    }

    /// The alert in mrkdwn. The link goes last and is kept whole when the text is cut,
    /// since a half link renders as garbage and the link is the way to the details.
    func sectionText(_ alert: NotificationAlert, hiding groupLabelNames: Set<String>, externalURL: String) -> String {
        var lines = ["*\(Self.escaped(alert.alertname))* · \(alert.status.rawValue)"]
        let own = alert.labels
            .filter { $0.key != "alertname" && !groupLabelNames.contains($0.key) }
            .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        if !own.isEmpty {
            lines.append(own.map { Self.escaped("\($0.key)=\($0.value)") }.joined(separator: ", "))
        }
        for name in ["summary", "description"] {
            if let text = alert.annotations[name], !text.isEmpty { lines.append(Self.escaped(text)) }
        }
        if let value = ValueText.of(alert.value) { lines.append("Value: `\(value)`") }
        let link = "<" + Self.escaped(alert.generatorURL(externalURL: externalURL)) + "|rule>"
        let body = lines.joined(separator: "\n")
        let linkRoom = link.utf16.count + 1
        if linkRoom >= Self.maxSectionText / 2 {
            return TextLimit.truncate(body, to: Self.maxSectionText)
        }
        return TextLimit.truncate(body, to: Self.maxSectionText - linkRoom) + "\n" + link
    }

    /// Slack's mrkdwn treats `&`, `<` and `>` as markup; everything else is literal.
    static func escaped(_ text: String) -> String {
        guard text.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.append(character)
            }
        }
        return result
    }
}
