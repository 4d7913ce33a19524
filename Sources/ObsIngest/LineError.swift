/// A record that could not be accepted: its line (1-based; for a JSON array body, the
/// element's position) and the reason, phrased for the person who sent it.
public struct LineError: Error, Equatable, Sendable {
    public var line: Int
    public var error: String

    public init(line: Int, error: String) {
        self.line = line
        self.error = error
    }
}
