extension WebhookRecorder {
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    public struct WaitTimeout: Error, CustomStringConvertible {
        public var expected: Int
        public var timeout: Duration
        public var arrived: [RecordedRequest]

        public var description: String {
            let listing = arrived.enumerated().map { "  #\($0.offset): \($0.element.summary)" }.joined(separator: "\n")
            return "expected \(expected) webhook request(s) within \(timeout), but \(arrived.count) arrived"
                + (arrived.isEmpty ? "" : ":\n" + listing)
        }
    }
}
