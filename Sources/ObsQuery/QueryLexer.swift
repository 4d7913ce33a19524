/// Splits obs query text into `QueryToken`s, one at a time, so that a lexical error is only
/// reported when the parser gets that far (errors come out in reading order).
///
/// Whitespace (spaces, tabs, newlines) separates tokens and is otherwise ignored. Positions
/// are 1-based line:column, counted in Characters (`\r\n` is one newline).
struct QueryLexer: Sendable {
    private let characters: [Character]
    private var index = 0
    private var line = 1
    private var column = 1
    /// Just past the last character of the last token: where `end` is reported, so that a
    /// trailing newline (YAML block scalars) does not move "end of expression" to a blank line.
    private var lastTokenEnd = SourcePosition(line: 1, column: 1)

    init(_ text: String) {
        characters = Array(text)
    }

    /// Every token up to and including `end`.
    static func tokenize(_ text: String) throws(QueryError) -> [QueryToken] {
        var lexer = QueryLexer(text)
        var tokens: [QueryToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    /// The next token; `end` once the text is exhausted (and again on every later call).
    @inline(never)
    mutating func next() throws(QueryError) -> QueryToken {
        skipWhitespace()
        let token = try lexToken()
        if token.kind != .end { lastTokenEnd = position }
        return token
    }

    // MARK: - Characters

    private var position: SourcePosition { SourcePosition(line: line, column: column) }

    private func peek(_ offset: Int = 0) -> Character? {
        let target = index + offset
        return target < characters.count ? characters[target] : nil
    }

    private mutating func advance() {
        guard index < characters.count else { return }
        if characters[index].isNewline {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private func text(from start: Int) -> String {
        String(characters[start..<index])
    }

    private mutating func skipWhitespace() {
        while let character = peek(), character == " " || character == "\t" || character.isNewline {
            advance()
        }
    }

    // MARK: - Tokens

    private mutating func lexToken() throws(QueryError) -> QueryToken {
        let start = position
        let startIndex = index
        guard let character = peek() else { return QueryToken(.end, text: "", at: lastTokenEnd) }

        if Self.isDigit(character) { return try lexNumber() }
        if Self.isIdentifierStart(character) {
            while let next = peek(), Self.isIdentifierContinuation(next) { advance() }
            let word = text(from: startIndex)
            return QueryToken(word == "by" ? .by : word == "and" ? .and : .identifier, text: word, at: start)
        }
        if character == "\"" || character == "'" { return try lexString() }

        advance()
        let kind: QueryToken.Kind
        switch character {
        case "(": kind = .leftParen
        case ")": kind = .rightParen
        case "{": kind = .leftBrace
        case "}": kind = .rightBrace
        case "[": kind = .leftBracket
        case "]": kind = .rightBracket
        case ",": kind = .comma
        case "+": kind = .plus
        case "-": kind = .minus
        case "*": kind = .star
        case "/": kind = .slash
        case "=":
            if peek() == "=" {
                advance()
                kind = .equal
            } else if peek() == "~" {
                advance()
                kind = .regexMatch
            } else {
                kind = .assign
            }
        case "!":
            if peek() == "=" {
                advance()
                kind = .notEqual
            } else if peek() == "~" {
                advance()
                kind = .regexNoMatch
            } else {
                throw QueryError(at: start, "unexpected character \"!\" (use != or !~)")
            }
        case ">":
            if peek() == "=" {
                advance()
                kind = .greaterOrEqual
            } else {
                kind = .greater
            }
        case "<":
            if peek() == "=" {
                advance()
                kind = .lessOrEqual
            } else {
                kind = .less
            }
        default:
            throw QueryError(at: start, "unexpected character \(Self.describe(character))")
        }
        return QueryToken(kind, text: text(from: startIndex), at: start)
    }

    /// Digits, optional `.fraction`, optional exponent, then an optional unit written right
    /// after it: `%`, or one or more duration components (`5m`, `1m30s`, `250ms`).
    private mutating func lexNumber() throws(QueryError) -> QueryToken {
        let start = position
        let startIndex = index
        var total = 0.0
        var unit = NumberLiteral.Unit.none
        var usesMilliseconds = false
        var isCompound = false

        components: while true {
            let magnitudeIndex = index
            skipDigits()
            if peek() == ".", let next = peek(1), Self.isDigit(next) {
                advance()
                skipDigits()
            }
            if peek() == "e" || peek() == "E" {
                if let next = peek(1), Self.isDigit(next) {
                    advance()
                    skipDigits()
                } else if peek(1) == "+" || peek(1) == "-", let next = peek(2), Self.isDigit(next) {
                    advance()
                    advance()
                    skipDigits()
                }
            }
            // The text is digits[.digits][e[+-]digits], which Double always reads (possibly as inf).
            let magnitude = Double(text(from: magnitudeIndex)) ?? .infinity

            if peek() == "%", !isCompound {
                advance()
                total = magnitude / 100
                unit = .percent
                break components
            }

            let unitPosition = position
            let unitIndex = index
            while let next = peek(), Self.isUnitLetter(next) { advance() }
            let unitText = text(from: unitIndex)
            let milliseconds: Double
            switch unitText {
            case "":
                if isCompound {
                    throw QueryError(
                        at: unitPosition,
                        "expected a unit after \(text(from: magnitudeIndex)) in duration \(text(from: startIndex)) (use ms, s, m, h, d or w)"
                    )
                }
                total = magnitude
                break components
            case "ms":
                milliseconds = 1
                usesMilliseconds = true
            case "s": milliseconds = 1000
            case "m": milliseconds = 60_000
            case "h": milliseconds = 3_600_000
            case "d": milliseconds = 86_400_000
            case "w": milliseconds = 604_800_000
            default:
                let written = String(characters[startIndex..<unitIndex])
                throw QueryError(
                    at: unitPosition,
                    "unknown unit \"\(unitText)\" after number \(written) (use ms, s, m, h, d, w or %)"
                )
            }
            total += magnitude * milliseconds
            unit = .duration(usesMilliseconds: usesMilliseconds)
            guard let next = peek(), Self.isDigit(next) else { break components }
            isCompound = true
        }

        let written = text(from: startIndex)
        guard total.isFinite else { throw QueryError(at: start, "number \(written) is too large") }
        return QueryToken(.number(NumberLiteral(value: total, unit: unit)), text: written, at: start)
    }

    /// A double- or single-quoted string on one line; escapes `\"` `\'` `\\` `\n` `\t`.
    private mutating func lexString() throws(QueryError) -> QueryToken {
        let start = position
        let startIndex = index
        guard let quote = peek() else { return QueryToken(.end, text: "", at: lastTokenEnd) }
        advance()
        var value = ""
        while true {
            guard let character = peek(), !character.isNewline else {
                throw QueryError(at: position, "unterminated string opened at \(start)")
            }
            let characterPosition = position
            advance()
            if character == quote { break }
            guard character == "\\" else {
                value.append(character)
                continue
            }
            guard let escaped = peek(), !escaped.isNewline else {
                throw QueryError(at: position, "unterminated string opened at \(start)")
            }
            advance()
            switch escaped {
            case "\"", "'", "\\": value.append(escaped)
            case "n": value.append("\n")
            case "t": value.append("\t")
            default:
                throw QueryError(
                    at: characterPosition,
                    "unknown escape \(Self.describe("\\" + String(escaped))) in string (use \\\", \\', \\\\, \\n or \\t)"
                )
            }
        }
        return QueryToken(.string(value), text: text(from: startIndex), at: start)
    }

    private mutating func skipDigits() {
        while let character = peek(), Self.isDigit(character) { advance() }
    }

    // MARK: - Character classes

    private static func isDigit(_ character: Character) -> Bool {
        character.isASCII && character.isWholeNumber
    }

    private static func isUnitLetter(_ character: Character) -> Bool {
        character == "_" || (character.isASCII && character.isLetter)
    }

    static func isIdentifierStart(_ character: Character) -> Bool {
        isUnitLetter(character)
    }

    static func isIdentifierContinuation(_ character: Character) -> Bool {
        isUnitLetter(character) || isDigit(character)
    }

    /// `"@"` for a visible character, `U+00A0` for one that would not show in a message.
    static func describe(_ text: String) -> String {
        let invisible = text.unicodeScalars.contains { scalar in
            scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
                || scalar.properties.generalCategory == .format
        }
        guard invisible else { return "\"\(text)\"" }
        return text.unicodeScalars.map { scalar in
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }.joined(separator: " ")
    }

    static func describe(_ character: Character) -> String {
        describe(String(character))
    }
}
