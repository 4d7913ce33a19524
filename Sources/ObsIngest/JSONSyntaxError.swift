/// Why a byte sequence is not the JSON a decoder expected, and where (byte offset).
public struct JSONSyntaxError: Error, Equatable, Sendable {
    public var offset: Int
    public var reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }
}
