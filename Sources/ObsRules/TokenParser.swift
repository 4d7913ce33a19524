/// Builds an expression from the tokens of one action.
///
/// Grammar: `pipeline := command ("|" command)*`, `command := FUNCTION operand* | operand`,
/// `operand := variable | field | string | number | "(" pipeline ")"`. A piped value
/// becomes the last argument of the function after the `|`.
struct TokenParser {
    /// An argument while parsing; `$labels` on its own is only valid as index's first argument.
    private enum Operand {
        case expression(TemplateExpression)
        case labelMap(spelling: String)
    }

    private let tokens: [TemplateToken]
    private let column: Int
    private var index = 0

    init(tokens: [TemplateToken], column: Int) {
        self.tokens = tokens
        self.column = column
    }

    mutating func parseAction() throws(TemplateError) -> TemplateExpression {
        guard !tokens.isEmpty else { throw failure("empty action {{ }}") }
        let result = try parsePipeline(depth: 0)
        if let token = peek {
            if case .closeParenthesis = token.kind {
                throw failure("unexpected ) without a matching (")
            }
            throw failure("unexpected \(token.text)")
        }
        return try expression(result)
    }

    // MARK: - Grammar

    private var peek: TemplateToken? {
        index < tokens.count ? tokens[index] : nil
    }

    private func failure(_ message: String) -> TemplateError {
        TemplateError(column: column, message: message)
    }

    private mutating func parsePipeline(depth: Int) throws(TemplateError) -> Operand {
        var result = try parseCommand(piped: nil, depth: depth)
        var length = 1
        while let token = peek, case .pipe = token.kind {
            index += 1
            length += 1
            guard length <= TemplateParser.maximumPipeLength else {
                throw failure("too many | in one action (at most \(TemplateParser.maximumPipeLength - 1))")
            }
            result = try parseCommand(piped: result, depth: depth)
        }
        return result
    }

    private mutating func parseCommand(piped: Operand?, depth: Int) throws(TemplateError) -> Operand {
        guard let token = peek, !token.endsCommand else {
            if let token = peek, case .closeParenthesis = token.kind, piped == nil {
                throw failure("missing value before )")
            }
            throw failure(piped == nil ? "missing value before |" : "missing function after |")
        }
        if case .identifier(let name) = token.kind {
            index += 1
            try checkWord(name)
            var arguments: [Operand] = []
            while let next = peek, !next.endsCommand {
                arguments.append(try parseOperand(depth: depth))
            }
            if let piped { arguments.append(piped) }
            return .expression(try call(name, arguments))
        }
        let operand = try parseOperand(depth: depth)
        if piped != nil {
            throw failure("cannot pipe into \(token.text): only a function can follow |")
        }
        if let next = peek, !next.endsCommand {
            throw failure("unexpected \(next.text) after \(token.text): only functions take arguments")
        }
        return operand
    }

    private mutating func parseOperand(depth: Int) throws(TemplateError) -> Operand {
        guard let token = peek else { throw failure("missing value") }
        index += 1
        switch token.kind {
        case .variable(let name, let fields):
            switch name {
            case "labels":
                return try labelOperand(fields, spelling: "$labels")
            case "value", "externalURL":
                if let field = fields.first {
                    throw failure("$\(name) has no field .\(field)")
                }
                return .expression(name == "value" ? .value : .externalURL)
            default:
                throw failure("unknown variable $\(name) (variables: \(TemplateParser.variableList))")
            }
        case .field(let names):
            let rest = Array(names.dropFirst())
            switch names.first ?? "" {
            case "Labels":
                return try labelOperand(rest, spelling: ".Labels")
            case let name where name == "Value" || name == "ExternalURL":
                if let field = rest.first {
                    throw failure(".\(name) has no field .\(field)")
                }
                return .expression(name == "Value" ? .value : .externalURL)
            case let name:
                throw failure("unknown field .\(name) (fields: \(TemplateParser.fieldList))")
            }
        case .dot:
            throw failure("{{ . }} is not supported: use $labels.NAME, $value or $externalURL")
        case .string(let text):
            return .expression(.string(text))
        case .number(let number):
            return .expression(.number(number))
        case .openParenthesis:
            guard depth < TemplateParser.maximumNesting else {
                throw failure("parentheses nest too deeply (at most \(TemplateParser.maximumNesting))")
            }
            let inner = try parsePipeline(depth: depth + 1)
            guard let close = peek, case .closeParenthesis = close.kind else {
                throw failure("unclosed ( in action")
            }
            index += 1
            return inner
        case .identifier(let name):
            try checkWord(name)
            if name == "printf" || name == "index" || TemplateFunction(rawValue: name) != nil {
                throw failure("to use the result of \(name) as an argument, put it in parentheses: (\(name) …)")
            }
            throw unknownFunction(name)
        case .closeParenthesis:
            throw failure("unexpected ) without a matching (")
        case .pipe:
            throw failure("missing value before |")
        }
    }

    // MARK: - Building

    private func labelOperand(_ fields: [String], spelling: String) throws(TemplateError) -> Operand {
        guard let name = fields.first else { return .labelMap(spelling: spelling) }
        guard fields.count == 1 else {
            throw failure("\(spelling).\(fields.joined(separator: ".")) has too many parts: a label is \(spelling).\(name)")
        }
        return .expression(.label(name))
    }

    private func expression(_ operand: Operand) throws(TemplateError) -> TemplateExpression {
        switch operand {
        case .expression(let expression):
            return expression
        case .labelMap(let spelling):
            throw failure("\(spelling) needs a label name: \(spelling).service")
        }
    }

    private func checkWord(_ name: String) throws(TemplateError) {
        if TemplateParser.blockKeywords.contains(name) {
            throw failure(TemplateParser.blockMessage(name))
        }
        if TemplateParser.constants.contains(name) {
            throw failure("\(name) is not supported in alert templates (only strings, numbers, $labels, $value and $externalURL)")
        }
    }

    private func unknownFunction(_ name: String) -> TemplateError {
        failure("unknown function \(name) (functions: \(TemplateParser.functionList))")
    }

    private func call(_ name: String, _ arguments: [Operand]) throws(TemplateError) -> TemplateExpression {
        switch name {
        case "printf":
            guard let first = arguments.first else {
                throw failure("printf needs a format string: printf \"%.1f\" $value")
            }
            guard case .expression(.string(let text)) = first else {
                throw failure("printf's format must be a quoted string: printf \"%.1f\" $value")
            }
            let format = try PrintfFormat(parsing: text, column: column)
            var values: [TemplateExpression] = []
            for argument in arguments.dropFirst() {
                values.append(try expression(argument))
            }
            let verbs = format.directiveCount
            guard verbs == values.count else {
                throw failure("printf format \(PrintfFormat.quoted(text)) has \(Self.counted(verbs, "verb"))"
                    + " but \(Self.counted(values.count, "argument"))")
            }
            return .printf(format, values)
        case "index":
            guard arguments.count == 2 else {
                throw failure("index takes 2 arguments, got \(arguments.count): index $labels \"label-name\"")
            }
            guard case .labelMap = arguments[0] else {
                throw failure("index works only on $labels: index $labels \"label-name\"")
            }
            return .labelIndex(try expression(arguments[1]))
        default:
            guard let function = TemplateFunction(rawValue: name) else { throw unknownFunction(name) }
            guard arguments.count == 1 else {
                throw failure("\(name) takes 1 argument, got \(arguments.count): $value | \(name)")
            }
            return .apply(function, try expression(arguments[0]))
        }
    }

    private static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
