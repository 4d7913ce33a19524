import Foundation

/// A `printf` format string, checked when the template is parsed and rendered
/// one verb at a time, so a user's format never reaches `String(format:)` whole.
///
/// Verbs: `%f %e %g %d %s %v %%`, with flags `-`, `+`, space and `0`, a width and a
/// precision of at most 64. `%d` truncates toward zero; `%s`/`%v` (and `%g` without a
/// precision) print numbers as their shortest decimal; a precision on `%s`/`%v` cuts
/// the text to that many characters. A missing `$value` prints as nothing.
struct PrintfFormat: Sendable, Equatable {
    enum Verb: Character, Sendable, Equatable {
        case f = "f", e = "e", g = "g", d = "d", s = "s", v = "v"
    }

    struct Directive: Sendable, Equatable {
        /// Each of "-+ 0" at most once.
        var flags: String
        var width: Int?
        var precision: Int?
        var verb: Verb
    }

    enum Piece: Sendable, Equatable {
        case literal(String)
        case directive(Directive)
    }

    static let maximumWidth = 64
    static let verbList = "%f %e %g %d %s %v %%"

    let pieces: [Piece]

    var directiveCount: Int {
        pieces.reduce(0) { count, piece in
            if case .directive = piece { return count + 1 }
            return count
        }
    }

    init(parsing format: String, column: Int) throws(TemplateError) {
        func failure(_ message: String) -> TemplateError {
            TemplateError(column: column, message: message)
        }
        let characters = Array(format)
        var pieces: [Piece] = []
        var literal = ""
        var index = 0

        func readNumber(_ what: String) throws(TemplateError) -> Int? {
            var number: Int?
            while index < characters.count, let digit = Self.asciiDigit(characters[index]) {
                let next = (number ?? 0) * 10 + digit
                if next > Self.maximumWidth {
                    throw failure("printf \(what) in \(Self.quoted(format)) is too large (at most \(Self.maximumWidth))")
                }
                number = next
                index += 1
            }
            return number
        }

        while index < characters.count {
            let character = characters[index]
            index += 1
            guard character == "%" else {
                literal.append(character)
                continue
            }
            guard index < characters.count else {
                throw failure("printf format \(Self.quoted(format)) ends with a lone %; write %% for a percent sign")
            }
            if characters[index] == "%" {
                literal.append("%")
                index += 1
                continue
            }
            var flags = ""
            while index < characters.count, "-+ 0".contains(characters[index]) {
                if !flags.contains(characters[index]) { flags.append(characters[index]) }
                index += 1
            }
            let width = try readNumber("width")
            var precision: Int?
            if index < characters.count, characters[index] == "." {
                index += 1
                precision = try readNumber("precision") ?? 0
            }
            guard index < characters.count else {
                throw failure("printf format \(Self.quoted(format)) ends in the middle of a verb (verbs: \(Self.verbList))")
            }
            let verbCharacter = characters[index]
            index += 1
            guard let verb = Verb(rawValue: verbCharacter) else {
                throw failure("printf verb %\(verbCharacter) is not supported (verbs: \(Self.verbList))")
            }
            if verb == .d, precision != nil {
                throw failure("printf %d takes no precision; use %.0f to round")
            }
            if !literal.isEmpty {
                pieces.append(.literal(literal))
                literal = ""
            }
            pieces.append(.directive(Directive(flags: flags, width: width, precision: precision, verb: verb)))
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        self.pieces = pieces
    }

    /// Formats `arguments` in order; a missing argument prints as nothing.
    func render(_ arguments: [TemplateValue]) -> String {
        var result = ""
        var next = 0
        for piece in pieces {
            switch piece {
            case .literal(let text):
                result += text
            case .directive(let directive):
                let argument = next < arguments.count ? arguments[next] : .missing
                next += 1
                result += directive.render(argument)
            }
        }
        return result
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default: result.append(character)
            }
        }
        return result + "\""
    }

    static func asciiDigit(_ character: Character) -> Int? {
        guard character.isASCII, let digit = character.wholeNumberValue else { return nil }
        return digit
    }
}

extension PrintfFormat.Directive {
    func render(_ argument: TemplateValue) -> String {
        switch verb {
        case .s, .v:
            switch argument {
            case .missing:
                return ""
            case .text(let text):
                return padded(precision.map { String(text.prefix($0)) } ?? text)
            case .number(let number, _):
                let text = ValueFormat.plain(number)
                return paddedNumber(precision.map { String(text.prefix($0)) } ?? text)
            }
        case .f, .e, .g, .d:
            guard let number = argument.numeric else {
                if case .text(let text) = argument {
                    return "%!\(verb.rawValue)(string=\(text))"
                }
                return ""
            }
            if let special = ValueFormat.nonFinite(number) {
                return paddedNumber(special, zeros: false)
            }
            if verb == .g, precision == nil {
                return paddedNumber(ValueFormat.plain(number))
            }
            // Only validated flags, a bounded width and precision and one of
            // f/e/g reach String(format:), with exactly one Double argument.
            var specification = "%" + flags
            if let width { specification += String(width) }
            if verb == .d {
                return String(format: specification + ".0f", number.rounded(.towardZero) + 0.0)
            }
            if let precision { specification += "." + String(precision) }
            specification.append(verb.rawValue)
            return String(format: specification, number)
        }
    }

    /// Pads text to the width with spaces, on the right for `-`.
    private func padded(_ text: String) -> String {
        guard let width, text.count < width else { return text }
        let padding = String(repeating: " ", count: width - text.count)
        return flags.contains("-") ? text + padding : padding + text
    }

    /// Applies the sign flags (`+`, space) and zero padding to a formatted number.
    private func paddedNumber(_ text: String, zeros: Bool = true) -> String {
        var sign = ""
        var digits = Substring(text)
        if let first = digits.first, first == "-" || first == "+" {
            sign = String(first)
            digits = digits.dropFirst()
        } else if flags.contains("+") {
            sign = "+"
        } else if flags.contains(" ") {
            sign = " "
        }
        if zeros, flags.contains("0"), !flags.contains("-"), let width, sign.count + digits.count < width {
            return sign + String(repeating: "0", count: width - sign.count - digits.count) + digits
        }
        return padded(sign + digits)
    }
}
