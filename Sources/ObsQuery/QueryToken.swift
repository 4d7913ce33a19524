/// One token of the obs query language, as produced by `QueryLexer`.
///
/// `text` is the token exactly as written (a string keeps its quotes, a number its units);
/// `description` is how error messages name the token: `")"`, `identifier "foo"`,
/// `number 5m`, `string "x"`, `"by"`, `end of expression`.
struct QueryToken: Sendable, Equatable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        /// `[A-Za-z_][A-Za-z0-9_]*`, other than `by` and `and`.
        case identifier
        /// The `by` keyword.
        case by
        /// The `and` keyword (the set operator).
        case and
        case number(NumberLiteral)
        /// A quoted string; the payload is the value with escapes resolved.
        case string(String)
        case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket, comma
        /// A single `=` (label matchers and named arguments).
        case assign
        case equal, notEqual, regexMatch, regexNoMatch
        case greater, greaterOrEqual, less, lessOrEqual
        case plus, minus, star, slash
        /// After the last token; its position is just past the last token's last character.
        case end
    }

    var kind: Kind
    var text: String
    var position: SourcePosition

    init(_ kind: Kind, text: String, at position: SourcePosition) {
        self.kind = kind
        self.text = text
        self.position = position
    }

    var description: String {
        switch kind {
        case .identifier: "identifier \"\(text)\""
        case .number: "number \(text)"
        case .string: "string \(text)"
        case .end: "end of expression"
        default: "\"\(text)\""
        }
    }

    /// True for identifiers and the keywords, which are fine as label names.
    var isLabelName: Bool {
        switch kind {
        case .identifier, .by, .and: true
        default: false
        }
    }
}

/// A number literal with its unit already applied.
struct NumberLiteral: Sendable, Equatable {
    enum Unit: Sendable, Equatable {
        /// No unit: `5`, `0.999`, `1e3`.
        case none
        /// `%`: the value is already divided by 100.
        case percent
        /// One or more of ms, s, m, h, d (`5m`, `1m30s`): the value is in milliseconds.
        /// `usesMilliseconds` records an explicit `ms` component (ranges reject it).
        case duration(usesMilliseconds: Bool)
    }

    var value: Double
    var unit: Unit
}
