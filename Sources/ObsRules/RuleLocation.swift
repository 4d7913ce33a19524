/// A place in a rule file: 1-based line and column, as Yams marks them.
public struct RuleLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `rules/checkout.yaml:12:9`
    public var description: String { "\(file):\(line):\(column)" }
}
