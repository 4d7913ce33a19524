import Foundation

/// A user's search text turned into an FTS5 expression and matching LIKE patterns.
///
/// Every whitespace-separated term must occur; each becomes a quoted FTS5 phrase, so
/// characters that are FTS5 syntax (`-`, `:`, `*`, `"`) are searched for, not interpreted.
struct FullTextTerms {
    let terms: [String]

    init(_ text: String) {
        terms = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    var isEmpty: Bool { terms.isEmpty }

    var matchExpression: String {
        terms.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " AND ")
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
