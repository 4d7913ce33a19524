/// A user's search text: every whitespace-separated term must occur in the message, as a
/// case-insensitive substring (LIKE). The FTS5 expression built from the terms' words
/// selects a superset of the matches, so it can narrow the indexed rows before LIKE checks.
struct FullTextTerms {
    let terms: [String]

    init(_ text: String) {
        terms = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    var isEmpty: Bool { terms.isEmpty }

    /// Every word of every term, quoted (so FTS5 syntax characters are plain text) and ANDed;
    /// nil when the terms hold no letters or digits at all.
    var matchExpression: String? {
        let words = terms.flatMap { term in
            term.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map { "\"" + $0 + "\"" }
        }
        return words.isEmpty ? nil : words.joined(separator: " AND ")
    }

    var likePatterns: [String] {
        terms.map { term in
            var escaped = ""
            for character in term {
                if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
                escaped.append(character)
            }
            return "%" + escaped + "%"
        }
    }
}
