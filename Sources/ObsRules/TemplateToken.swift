/// A lexeme inside a template action.
struct TemplateToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// `$name.field.field`
        case variable(String, fields: [String])
        /// `.Field.field`
        case field([String])
        /// `.` alone
        case dot
        case identifier(String)
        case string(String)
        case number(Double)
        case pipe
        case openParenthesis
        case closeParenthesis
    }

    var kind: Kind
    /// The token as written, for messages.
    var text: String

    var endsCommand: Bool {
        switch kind {
        case .pipe, .closeParenthesis: return true
        default: return false
        }
    }
}
