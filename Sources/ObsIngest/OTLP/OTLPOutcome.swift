/// What an OTLP export request yielded: the accepted records, and for OTLP's
/// `partial_success` how many were rejected and why (the first few reasons).
public struct OTLPOutcome<Record: Sendable>: Sendable {
    public var records: [Record] = []
    public var rejected = 0
    public var errors: [String] = []

    public init() {}

    mutating func reject(_ reason: String) {
        rejected += 1
        if errors.count < 10 { errors.append(reason) }
    }

    /// OTLP's `error_message`: the listed reasons in one line.
    public var errorMessage: String {
        errors.joined(separator: "; ") + (rejected > errors.count ? "; and \(rejected - errors.count) more" : "")
    }
}
