/// One piece of a parsed template: literal text, or an action to evaluate.
enum TemplateNode: Sendable, Equatable {
    case text(String)
    case action(TemplateExpression)
}

/// A single-argument function usable in a pipe: `$value | humanize`.
enum TemplateFunction: String, Sendable, Equatable, CaseIterable {
    case humanize
    case humanizePercentage
    case toUpper
    case toLower
    case title

    func apply(_ argument: TemplateValue) -> TemplateValue {
        if case .missing = argument { return .missing }
        switch self {
        case .humanize:
            guard let number = argument.numeric else { return .text(argument.plainText) }
            return .text(ValueFormat.humanize(number))
        case .humanizePercentage:
            guard let number = argument.numeric else { return .text(argument.plainText) }
            return .text(ValueFormat.percentage(number))
        case .toUpper:
            return .text(argument.plainText.uppercased())
        case .toLower:
            return .text(argument.plainText.lowercased())
        case .title:
            return .text(Self.titleCased(argument.plainText))
        }
    }

    /// Upper-cases the first letter of each word, as Go's strings.Title does:
    /// `foo-bar baz_qux` → `Foo-Bar Baz_qux`.
    private static func titleCased(_ text: String) -> String {
        var result = ""
        var atWordStart = true
        for character in text {
            let inWord = character.isLetter || character.isNumber || character == "_"
            if inWord && atWordStart {
                result += character.uppercased()
            } else {
                result.append(character)
            }
            atWordStart = !inWord
        }
        return result
    }
}

/// A parsed action. Pipes are already turned into calls: `a | f x` is `f x a`.
indirect enum TemplateExpression: Sendable, Equatable {
    case label(String)
    /// `index $labels KEY`.
    case labelIndex(TemplateExpression)
    case value
    case externalURL
    case string(String)
    case number(Double)
    case printf(PrintfFormat, [TemplateExpression])
    case apply(TemplateFunction, TemplateExpression)

    func evaluate(_ context: TemplateContext) -> TemplateValue {
        switch self {
        case .label(let name):
            return .text(context.labels[name] ?? "")
        case .labelIndex(let key):
            let name = key.evaluate(context).plainText
            return .text(context.labels[name] ?? "")
        case .value:
            guard let value = context.value else { return .missing }
            return .number(value, measured: true)
        case .externalURL:
            return .text(context.externalURL)
        case .string(let text):
            return .text(text)
        case .number(let number):
            return .number(number, measured: false)
        case .printf(let format, let arguments):
            return .text(format.render(arguments.map { $0.evaluate(context) }))
        case .apply(let function, let argument):
            return function.apply(argument.evaluate(context))
        }
    }

    var usesValue: Bool {
        switch self {
        case .value: return true
        case .label, .externalURL, .string, .number: return false
        case .labelIndex(let key): return key.usesValue
        case .printf(_, let arguments): return arguments.contains { $0.usesValue }
        case .apply(_, let argument): return argument.usesValue
        }
    }
}
