/// Why an alert template could not be parsed, and where.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based position, in characters from the start of the template text
    /// (newlines count as one character), of the `{{` that opens the bad action.
    public var column: Int
    /// One line saying what is wrong and, where it helps, what is allowed instead.
    public var message: String

    public init(column: Int, message: String) {
        self.column = column
        self.message = message
    }

    public var description: String {
        "template column \(column): \(message)"
    }
}
