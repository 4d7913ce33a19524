/// A command failure, printed as one line: `obs: <message>`, with a non-zero exit.
public struct CLIError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
