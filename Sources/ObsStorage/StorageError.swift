/// A storage failure: what obs was doing, on which file, and SQLite's reason.
public struct StorageError: Error, CustomStringConvertible, Sendable {
    public var operation: String
    public var path: String
    public var reason: String

    public init(operation: String, path: String, reason: String) {
        self.operation = operation
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(operation): \(reason)" }
}
