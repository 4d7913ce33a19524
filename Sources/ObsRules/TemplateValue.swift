/// A value met while rendering a template action.
enum TemplateValue: Sendable, Equatable {
    /// `$value` when the evaluation has none; anything computed from it is missing too.
    case missing
    case text(String)
    /// `measured` is true for `$value`, which prints with the context's unit.
    case number(Double, measured: Bool)

    /// How the value prints as the result of a whole action.
    func display(unit: ValueUnit) -> String {
        switch self {
        case .missing: return ""
        case .text(let text): return text
        case .number(let number, let measured):
            return measured ? ValueFormat.format(number, unit: unit) : ValueFormat.plain(number)
        }
    }

    /// The value as a function argument string: numbers print as plain decimals.
    var plainText: String {
        switch self {
        case .missing: return ""
        case .text(let text): return text
        case .number(let number, _): return ValueFormat.plain(number)
        }
    }

    /// The value as a number, reading text (a label holding "0.5") as a decimal.
    var numeric: Double? {
        switch self {
        case .missing: return nil
        case .number(let number, _): return number
        case .text(let text): return Double(text.trimmingSpaces)
        }
    }
}

extension String {
    var trimmingSpaces: Substring {
        var result = Substring(self)
        while let first = result.first, first.isWhitespace { result = result.dropFirst() }
        while let last = result.last, last.isWhitespace { result = result.dropLast() }
        return result
    }
}
