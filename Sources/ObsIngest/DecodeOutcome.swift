/// What decoding one request body or datagram produced: the accepted records, and for the
/// rejected ones a count and the first few reasons.
public struct DecodeOutcome<Record: Sendable>: Sendable {
    public static var listedErrorLimit: Int { 10 }

    public var records: [Record] = []
    public var rejected = 0
    /// The first `listedErrorLimit` rejections, in line order.
    public var errors: [LineError] = []

    public init() {}

    mutating func reject(_ error: LineError) {
        rejected += 1
        if errors.count < Self.listedErrorLimit { errors.append(error) }
    }
}
