/// Parses the obs query language into an `Expression` (recursive descent).
///
/// Grammar, lowest precedence first; binary operators are left-associative:
///
///     expression     = conjunction
///     conjunction    = comparison ( "and" comparison )*
///     comparison     = additive ( ("==" | "!=" | ">" | "<" | ">=" | "<=") additive )*
///     additive       = multiplicative ( ("+" | "-") multiplicative )*
///     multiplicative = unary ( ("*" | "/") unary )*
///     unary          = "-" unary | postfix
///     postfix        = primary ( "by" "(" label ("," label)* ","? ")" )?
///     primary        = number | string | "(" expression ")"
///                    | identifier "(" ( argument ("," argument)* ","? )? ")"
///                    | identifier ( "{" ( matcher ("," matcher)* ","? )? "}" )? ( "[" duration "]" )?
///     argument       = ( identifier "=" )? expression
///     matcher        = label ("=" | "!=" | "=~" | "!~") string
public enum QueryParser {
    /// How deeply parentheses, calls and unary minus may nest, so that hostile input
    /// cannot exhaust the stack. Each level costs a few KB of stack (about 3.5 KB optimized,
    /// 11 KB in debug builds), so 32 levels stay well inside a 512 KB thread stack; real
    /// queries nest a handful of levels. The `@inline(never)` marks below keep the frames of
    /// cold paths (selectors, matchers, ranges, error messages) off the recursive path.
    public static let maximumNesting = 32

    public static func parse(_ text: String) throws(QueryError) -> Expression {
        var parser = try QueryParserState(text)
        if parser.current.kind == .end {
            throw QueryError(at: parser.current.position, "empty expression")
        }
        let expression = try parser.parseExpression()
        let trailing = parser.current
        guard trailing.kind == .end else {
            var message = "unexpected \(trailing) after the end of the expression"
            if trailing.kind == .assign { message += " (use == to compare)" }
            throw QueryError(at: trailing.position, message)
        }
        return expression
    }
}

private struct QueryParserState {
    private var lexer: QueryLexer
    private(set) var current: QueryToken
    private var lookahead: QueryToken?
    private var depth = 0

    init(_ text: String) throws(QueryError) {
        lexer = QueryLexer(text)
        current = try lexer.next()
    }

    // MARK: - Tokens

    /// Moves to the next token and returns the one that was current.
    @discardableResult
    private mutating func advance() throws(QueryError) -> QueryToken {
        let consumed = current
        if let buffered = lookahead {
            current = buffered
            lookahead = nil
        } else {
            current = try lexer.next()
        }
        return consumed
    }

    /// The token after `current`.
    private mutating func peek() throws(QueryError) -> QueryToken {
        if let buffered = lookahead { return buffered }
        let next = try lexer.next()
        lookahead = next
        return next
    }

    @inline(never)
    private func error(expected: String) -> QueryError {
        QueryError(at: current.position, "expected \(expected), found \(current)")
    }

    @inline(never)
    private mutating func enterNesting() throws(QueryError) {
        depth += 1
        if depth > QueryParser.maximumNesting {
            throw QueryError(
                at: current.position,
                "expression is nested too deeply (more than \(QueryParser.maximumNesting) levels)"
            )
        }
    }

    // MARK: - Binary operators

    mutating func parseExpression() throws(QueryError) -> Expression {
        try enterNesting()
        defer { depth -= 1 }
        return try parseConjunction()
    }

    /// `and` binds loosest, as in Prometheus: `a > 1 and b > 1` is `(a > 1) and (b > 1)`.
    private mutating func parseConjunction() throws(QueryError) -> Expression {
        var lhs = try parseComparison()
        while current.kind == .and {
            let position = try advance().position
            let rhs = try parseComparison()
            lhs = .binary(BinaryOperation(op: .and, lhs: lhs, rhs: rhs, position: position))
        }
        return lhs
    }

    private mutating func parseComparison() throws(QueryError) -> Expression {
        var lhs = try parseAdditive()
        while let op = comparisonOperator(current.kind) {
            let position = try advance().position
            let rhs = try parseAdditive()
            lhs = .binary(BinaryOperation(op: op, lhs: lhs, rhs: rhs, position: position))
        }
        return lhs
    }

    private mutating func parseAdditive() throws(QueryError) -> Expression {
        var lhs = try parseMultiplicative()
        while current.kind == .plus || current.kind == .minus {
            let token = try advance()
            let rhs = try parseMultiplicative()
            let op: BinaryOperation.Operator = token.kind == .plus ? .add : .subtract
            lhs = .binary(BinaryOperation(op: op, lhs: lhs, rhs: rhs, position: token.position))
        }
        return lhs
    }

    private mutating func parseMultiplicative() throws(QueryError) -> Expression {
        var lhs = try parseUnary()
        while current.kind == .star || current.kind == .slash {
            let token = try advance()
            let rhs = try parseUnary()
            let op: BinaryOperation.Operator = token.kind == .star ? .multiply : .divide
            lhs = .binary(BinaryOperation(op: op, lhs: lhs, rhs: rhs, position: token.position))
        }
        return lhs
    }

    private func comparisonOperator(_ kind: QueryToken.Kind) -> BinaryOperation.Operator? {
        switch kind {
        case .equal: .equal
        case .notEqual: .notEqual
        case .greater: .greater
        case .less: .less
        case .greaterOrEqual: .greaterOrEqual
        case .lessOrEqual: .lessOrEqual
        default: nil
        }
    }

    // MARK: - Unary and postfix

    private mutating func parseUnary() throws(QueryError) -> Expression {
        guard current.kind == .minus else { return try parsePostfix() }
        let position = try advance().position
        try enterNesting()
        defer { depth -= 1 }
        return .negation(try parseUnary(), at: position)
    }

    private mutating func parsePostfix() throws(QueryError) -> Expression {
        let operand = try parsePrimary()
        guard current.kind == .by else { return operand }
        let position = try advance().position
        guard current.kind == .leftParen else { throw error(expected: "\"(\" after \"by\"") }
        try advance()
        var labels: [String] = []
        while true {
            guard current.isLabelName else { throw error(expected: "a label name in by (…)") }
            labels.append(try advance().text)
            if current.kind == .comma {
                try advance()
                if current.kind == .rightParen { break }
            } else if current.kind == .rightParen {
                break
            } else {
                throw error(expected: "\")\" or \",\" after a label in by (…)")
            }
        }
        try advance()
        return .grouping(operand, by: labels, at: position)
    }

    // MARK: - Primary

    private mutating func parsePrimary() throws(QueryError) -> Expression {
        let token = current
        switch token.kind {
        case .number(let literal):
            try advance()
            return .number(literal.value, at: token.position)
        case .string(let value):
            try advance()
            return .string(value, at: token.position)
        case .leftParen:
            try advance()
            let inner = try parseExpression()
            guard current.kind == .rightParen else {
                throw error(expected: "\")\" to close \"(\" at \(token.position)")
            }
            try advance()
            return inner
        case .identifier:
            try advance()
            if current.kind == .leftParen { return try parseCall(name: token) }
            return try parseSelector(metric: token)
        default:
            throw error(expected: "an expression")
        }
    }

    /// `name(arg, name=arg, …)`; `current` is the `(`.
    @inline(never)
    private mutating func parseCall(name: QueryToken) throws(QueryError) -> Expression {
        try advance()
        let unclosed = "\")\" to close the call of \(name.text) at \(name.position)"
        var arguments: [FunctionCall.Argument] = []
        while current.kind != .rightParen {
            if current.kind == .end { throw error(expected: unclosed) }
            var argumentName: String?
            if current.kind == .identifier, try peek().kind == .assign {
                argumentName = try advance().text
                try advance()
            }
            arguments.append(FunctionCall.Argument(name: argumentName, value: try parseExpression()))
            if current.kind == .comma {
                try advance()
            } else if current.kind != .rightParen {
                throw error(expected: unclosed)
            }
        }
        try advance()
        return .call(FunctionCall(name: name.text, arguments: arguments, position: name.position))
    }

    /// `metric`, `metric{…}`, `metric[5m]`, `metric{…}[5m]`; `current` follows the name.
    @inline(never)
    private mutating func parseSelector(metric: QueryToken) throws(QueryError) -> Expression {
        var selector = SeriesSelector(metric: metric.text, position: metric.position)
        if current.kind == .leftBrace {
            try advance()
            while current.kind != .rightBrace {
                selector.matchers.append(try parseMatcher())
                if current.kind == .comma {
                    try advance()
                } else if current.kind != .rightBrace {
                    throw error(expected: "\"}\" or \",\" after a label matcher")
                }
            }
            try advance()
        }
        if current.kind == .leftBracket {
            try advance()
            selector.rangeSeconds = try parseRange()
            guard current.kind == .rightBracket else { throw error(expected: "\"]\" after the range") }
            try advance()
        }
        return .selector(selector)
    }

    /// `label op "value"`.
    @inline(never)
    private mutating func parseMatcher() throws(QueryError) -> LabelMatcher {
        guard current.isLabelName else { throw error(expected: "a label name") }
        let label = try advance()
        let op: LabelMatcher.Operator
        switch current.kind {
        case .assign: op = .equal
        case .notEqual: op = .notEqual
        case .regexMatch: op = .matchesRegex
        case .regexNoMatch: op = .doesNotMatchRegex
        default: throw error(expected: "one of =, !=, =~, !~ after label \"\(label.text)\"")
        }
        try advance()
        guard case .string(let value) = current.kind else {
            throw error(expected: "a quoted string as the value of label \"\(label.text)\"")
        }
        if op == .matchesRegex || op == .doesNotMatchRegex {
            try Self.validateRegex(value, at: current.position)
        }
        try advance()
        return LabelMatcher(label: label.text, op: op, value: value, position: label.position)
    }

    @inline(never)
    private static func validateRegex(_ pattern: String, at position: SourcePosition) throws(QueryError) {
        do {
            _ = try Regex(pattern)
        } catch {
            var reason = String(describing: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            if reason.isEmpty { reason = "not a valid pattern" }
            if reason.count > 120 { reason = String(reason.prefix(117)) + "..." }
            throw QueryError(at: position, "invalid regular expression \(Expression.quote(pattern)): \(reason)")
        }
    }

    /// The duration inside `[…]`, in whole seconds; `current` is the token after `[`.
    @inline(never)
    private mutating func parseRange() throws(QueryError) -> Int64 {
        let token = current
        guard case .number(let literal) = token.kind,
              case .duration(let usesMilliseconds) = literal.unit
        else { throw error(expected: "a duration such as 5m in the range") }
        let seconds = literal.value / 1000
        let whole = seconds.rounded()
        guard !usesMilliseconds, abs(seconds - whole) <= 1e-9 * max(1, whole) else {
            throw QueryError(at: token.position, "range must be whole seconds, found \(token.text)")
        }
        guard whole > 0 else { throw QueryError(at: token.position, "range must be longer than zero") }
        guard whole < 9.0e18 else { throw QueryError(at: token.position, "number \(token.text) is too large") }
        try advance()
        return Int64(whole)
    }
}
