/// Turns template text into nodes. Every error carries the column of the `{{`
/// that opens the offending action.
struct TemplateParser {
    static let variableList = "$labels, $value, $externalURL"
    static let fieldList = ".Labels, .Value, .ExternalURL"
    static let functionList = "printf, index, "
        + TemplateFunction.allCases.map(\.rawValue).joined(separator: ", ")
    static let blockKeywords: Set<String> = [
        "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue",
    ]
    static let constants: Set<String> = ["true", "false", "nil"]
    static let maximumNesting = 8
    static let maximumPipeLength = 16

    private let characters: [Character]
    /// Index of the last `}}` in the text: an action opening after it can't close.
    private let lastClose: Int?
    private var position = 0
    private var actionStart = 0
    private var nodes: [TemplateNode] = []
    private var pendingText = ""
    private var trimNextText = false

    init(_ source: String) {
        characters = Array(source)
        var last: Int?
        var index = characters.count - 2
        while index >= 0 {
            if characters[index] == "}", characters[index + 1] == "}" {
                last = index
                break
            }
            index -= 1
        }
        lastClose = last
    }

    mutating func parse() throws(TemplateError) -> [TemplateNode] {
        while position < characters.count {
            if matches("{{") {
                try parseAction()
                continue
            }
            let character = characters[position]
            position += 1
            if trimNextText, Self.isSpace(character) { continue }
            trimNextText = false
            pendingText.append(character)
        }
        flushText()
        return nodes
    }

    // MARK: - Text

    private mutating func flushText() {
        if !pendingText.isEmpty {
            nodes.append(.text(pendingText))
            pendingText = ""
        }
    }

    private func matches(_ literal: String) -> Bool {
        var index = position
        for character in literal {
            guard index < characters.count, characters[index] == character else { return false }
            index += 1
        }
        return true
    }

    /// Skips spaces, tabs and line breaks; says whether there were any.
    private mutating func skipSpace() -> Bool {
        let start = position
        while position < characters.count, Self.isSpace(characters[position]) { position += 1 }
        return position > start
    }

    private func failure(_ message: String) -> TemplateError {
        TemplateError(column: actionStart + 1, message: message)
    }

    // MARK: - Actions

    private mutating func parseAction() throws(TemplateError) {
        actionStart = position
        guard let lastClose, lastClose >= position + 2 else {
            throw failure("unterminated action: {{ without a closing }}")
        }
        position += 2
        if position + 1 < characters.count, characters[position] == "-", Self.isSpace(characters[position + 1]) {
            position += 1
            while let last = pendingText.last, Self.isSpace(last) { pendingText.removeLast() }
        }
        var spaced = skipSpace()
        if matches("/*") {
            try parseComment()
            return
        }
        var tokens: [TemplateToken] = []
        var trimRight = false
        while true {
            spaced = skipSpace() || spaced
            guard position < characters.count else {
                throw failure("unterminated action: {{ without a closing }}")
            }
            if spaced, matches("-}}") {
                position += 3
                trimRight = true
                break
            }
            if matches("}}") {
                position += 2
                break
            }
            let token = try lexToken()
            if tokens.isEmpty, case .identifier(let word) = token.kind, Self.blockKeywords.contains(word) {
                throw failure(Self.blockMessage(word))
            }
            tokens.append(token)
            spaced = false
        }
        var parser = TokenParser(tokens: tokens, column: actionStart + 1)
        let expression = try parser.parseAction()
        flushText()
        nodes.append(.action(expression))
        trimNextText = trimRight
    }

    private mutating func parseComment() throws(TemplateError) {
        position += 2
        while position + 1 < characters.count, !(characters[position] == "*" && characters[position + 1] == "/") {
            position += 1
        }
        guard position + 1 < characters.count else {
            throw failure("unterminated comment: /* without a closing */")
        }
        position += 2
        let spaced = skipSpace()
        if spaced, matches("-}}") {
            position += 3
            trimNextText = true
        } else if matches("}}") {
            position += 2
            trimNextText = false
        } else {
            throw failure("a comment must fill its whole action: {{/* … */}}")
        }
    }

    // MARK: - Lexing

    private mutating func lexToken() throws(TemplateError) -> TemplateToken {
        let start = position
        let character = characters[position]
        let kind: TemplateToken.Kind
        switch character {
        case "|":
            position += 1
            kind = .pipe
        case "(":
            position += 1
            kind = .openParenthesis
        case ")":
            position += 1
            kind = .closeParenthesis
        case "\"":
            kind = .string(try lexQuoted())
        case "`":
            kind = .string(try lexRaw())
        case "$":
            position += 1
            let name = lexIdentifier()
            kind = .variable(name, fields: try lexFields(after: "$" + name))
        case ".":
            if position + 1 < characters.count, Self.isIdentifierStart(characters[position + 1]) {
                kind = .field(try lexFields(after: ""))
            } else if position + 1 < characters.count, Self.isDigit(characters[position + 1]) {
                kind = .number(try lexNumber())
            } else {
                position += 1
                kind = .dot
            }
        default:
            if startsNumber() {
                kind = .number(try lexNumber())
            } else if Self.isIdentifierStart(character) {
                kind = .identifier(lexIdentifier())
            } else if character == "}" {
                throw failure("unexpected '}' in action (an action ends with }})")
            } else {
                throw failure("unexpected character '\(character)' in action")
            }
        }
        return TemplateToken(kind: kind, text: String(characters[start..<position]))
    }

    private mutating func lexIdentifier() -> String {
        let start = position
        while position < characters.count, Self.isIdentifierCharacter(characters[position]) { position += 1 }
        return String(characters[start..<position])
    }

    /// `.a.b` following a variable (or starting a field reference).
    private mutating func lexFields(after prefix: String) throws(TemplateError) -> [String] {
        var fields: [String] = []
        while position < characters.count, characters[position] == "." {
            guard position + 1 < characters.count, Self.isIdentifierStart(characters[position + 1]) else {
                let written = prefix + fields.map { "." + $0 }.joined() + "."
                throw failure("missing name after the dot in \(written)")
            }
            position += 1
            fields.append(lexIdentifier())
        }
        return fields
    }

    private func startsNumber() -> Bool {
        func digit(at index: Int) -> Bool {
            index < characters.count && Self.isDigit(characters[index])
        }
        let character = characters[position]
        if Self.isDigit(character) { return true }
        guard character == "-" || character == "+" else { return false }
        return digit(at: position + 1)
            || (position + 2 < characters.count && characters[position + 1] == "." && digit(at: position + 2))
    }

    private mutating func lexNumber() throws(TemplateError) -> Double {
        let start = position
        func skipDigits() {
            while position < characters.count, Self.isDigit(characters[position]) { position += 1 }
        }
        if characters[position] == "-" || characters[position] == "+" { position += 1 }
        skipDigits()
        if position < characters.count, characters[position] == "." {
            position += 1
            skipDigits()
        }
        if position < characters.count, characters[position] == "e" || characters[position] == "E" {
            var next = position + 1
            if next < characters.count, characters[next] == "-" || characters[next] == "+" { next += 1 }
            if next < characters.count, Self.isDigit(characters[next]) {
                position = next
                skipDigits()
            }
        }
        var end = position
        while end < characters.count, Self.isIdentifierCharacter(characters[end]) || characters[end] == "." {
            end += 1
        }
        let written = String(characters[start..<end])
        guard end == position, let number = Double(written) else {
            throw failure("bad number \(written)")
        }
        return number
    }

    private mutating func lexQuoted() throws(TemplateError) -> String {
        position += 1
        var text = ""
        while position < characters.count {
            let character = characters[position]
            position += 1
            switch character {
            case "\"":
                return text
            case "\n", "\r", "\r\n":
                throw failure("unterminated string: missing closing \" before the end of the line")
            case "\\":
                guard position < characters.count else { break }
                let escaped = characters[position]
                position += 1
                switch escaped {
                case "\"": text.append("\"")
                case "\\": text.append("\\")
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "r": text.append("\r")
                default:
                    throw failure("unknown escape \\\(escaped) in string (escapes: \\\" \\\\ \\n \\t \\r)")
                }
            default:
                text.append(character)
            }
        }
        throw failure("unterminated string: missing closing \"")
    }

    private mutating func lexRaw() throws(TemplateError) -> String {
        position += 1
        let start = position
        while position < characters.count, characters[position] != "`" { position += 1 }
        guard position < characters.count else {
            throw failure("unterminated raw string: missing closing `")
        }
        position += 1
        return String(characters[start..<(position - 1)])
    }

    // MARK: - Character classes

    static func isSpace(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "\n" || character == "\r" || character == "\r\n"
    }

    static func isDigit(_ character: Character) -> Bool {
        character.isASCII && character.isNumber
    }

    static func isIdentifierStart(_ character: Character) -> Bool {
        character == "_" || character.isLetter
    }

    static func isIdentifierCharacter(_ character: Character) -> Bool {
        isIdentifierStart(character) || character.isNumber
    }

    static func blockMessage(_ keyword: String) -> String {
        "{{ \(keyword) }} is not supported in alert templates "
            + "(no if/else/range/with/define/template blocks; only values, functions and pipes)"
    }
}
