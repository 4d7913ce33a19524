extension LabelMatcher {
    /// Reads Alertmanager's matcher syntax: `service="checkout"`, `severity=~"page|critical"`,
    /// `env!="dev"`, and amtool's unquoted form `service=checkout`, `alertname=~Latency.*` where
    /// the value is the rest of the text. Whitespace around each part is ignored.
    ///
    /// Values follow Alertmanager's rules: `\"`, `\\` and `\n` are escapes; any other backslash is
    /// literal (so regexes such as `\d+` need no doubling); a double quote inside a value must be
    /// escaped, quoted or not.
    public init(parsing text: String) throws(MatcherError) {
        let scalars = Array(text.unicodeScalars)
        let first = scalars.firstIndex { !Self.isSpace($0) }
        guard let first else { throw .empty }

        // The first `=`, `!=` or `!~` is the operator: a valid label name contains none of them.
        var found: (index: Int, op: MatchOperator)?
        var index = first
        while index < scalars.count, found == nil {
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            if scalars[index] == "=" {
                found = (index, next == "~" ? .regex : .equal)
            } else if scalars[index] == "!", next == "=" || next == "~" {
                found = (index, next == "=" ? .notEqual : .notRegex)
            }
            index += 1
        }
        guard let found else { throw .missingOperator(matcher: text) }

        let name = Self.string(Self.trimmed(scalars[first..<found.index]))
        guard LabelName.isValid(name) else { throw .invalidLabelName(matcher: text, name: name) }
        let rawValue = Self.trimmed(scalars[(found.index + found.op.rawValue.unicodeScalars.count)...])
        let value = try Self.unescape(rawValue, matcher: text)
        try self.init(name: name, operator: found.op, value: value, asWritten: text)
    }

    /// Reads a list as Alertmanager's `matchers:` entries and amtool accept it:
    /// `{service="checkout", severity=~"page|critical"}`, braces optional, commas inside quoted
    /// values not splitting, a trailing comma allowed.
    public static func parseList(_ text: String) throws(MatcherError) -> [LabelMatcher] {
        var body = trimmed(Array(text.unicodeScalars)[...])
        if body.first == "{" { body = body.dropFirst() }
        if body.last == "}" { body = body.dropLast() }

        var parts: [String] = []
        var current = ""
        var insideQuotes = false
        var escaped = false
        for scalar in body {
            switch scalar {
            case "," where !insideQuotes:
                parts.append(current)
                current = ""
                escaped = false
                continue
            case "\"":
                if escaped { escaped = false } else { insideQuotes.toggle() }
            case "\\":
                escaped.toggle()
            default:
                escaped = false
            }
            current.unicodeScalars.append(scalar)
        }
        if !current.unicodeScalars.allSatisfy(isSpace) { parts.append(current) }

        var matchers: [LabelMatcher] = []
        for part in parts {
            matchers.append(try LabelMatcher(parsing: part))
        }
        return matchers
    }

    private static func unescape(_ raw: ArraySlice<Unicode.Scalar>, matcher: String) throws(MatcherError) -> String {
        var body = raw
        let quoted = body.first == "\""
        if quoted { body = body.dropFirst() }
        var value = ""
        var closed = false
        var escaped = false
        for index in body.indices {
            let scalar = body[index]
            if escaped {
                escaped = false
                switch scalar {
                case "n": value += "\n"
                case "\"", "\\": value.unicodeScalars.append(scalar)
                default:
                    value += "\\"
                    value.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\\":
                if index == body.index(before: body.endIndex) {
                    value += "\\"
                } else {
                    escaped = true
                }
            case "\"":
                guard quoted, index == body.index(before: body.endIndex) else { throw .unescapedQuote(matcher: matcher) }
                closed = true
            default:
                value.unicodeScalars.append(scalar)
            }
        }
        if quoted, !closed { throw .unterminatedQuote(matcher: matcher) }
        return value
    }

    private static func trimmed(_ scalars: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        var slice = scalars
        while let first = slice.first, isSpace(first) { slice = slice.dropFirst() }
        while let last = slice.last, isSpace(last) { slice = slice.dropLast() }
        return slice
    }

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return text
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }
}
