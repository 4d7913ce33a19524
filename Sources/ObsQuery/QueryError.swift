/// A query that cannot be parsed or evaluated: where in the expression, and why.
/// `description` is the one line a user sees: `1:5: unknown function "p59"`.
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var position: SourcePosition?
    public var message: String
    /// True when the store failed, not the query (HTTP 500 rather than 400).
    public var isStorageFailure = false

    public init(at position: SourcePosition?, _ message: String) {
        self.position = position
        self.message = message
    }

    static func storage(_ message: String) -> QueryError {
        var error = QueryError(at: nil, message)
        error.isStorageFailure = true
        return error
    }

    public var description: String {
        position.map { "\($0): \(message)" } ?? message
    }
}
