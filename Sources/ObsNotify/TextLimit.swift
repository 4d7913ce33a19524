/// Cuts text to a receiver's length limit. Lengths count UTF-16 code units, which is what
/// Slack's and PagerDuty's JavaScript-side checks count and never fewer than characters, and
/// the cut falls between characters so no emoji or accented letter is split.
enum TextLimit {
    static let ellipsis: Character = "…"

    static func truncate(_ text: String, to limit: Int) -> String {
        guard text.utf16.count > limit else { return text }
        let budget = limit - String(ellipsis).utf16.count
        guard budget > 0 else { return "" }
        var result = ""
        var used = 0
        for character in text {
            let size = String(character).utf16.count
            if used + size > budget { break }
            result.append(character)
            used += size
        }
        result.append(ellipsis)
        return result
    }
}
