/// What deliveries report, for the daemon's self metrics.
public struct DeliveryObserver: Sendable {
    /// One attempt ended: `result` is `delivered`, `retry` or `dead`.
    public var attempted: @Sendable (_ receiver: String, _ result: String, _ seconds: Double) -> Void

    public init(attempted: @escaping @Sendable (_ receiver: String, _ result: String, _ seconds: Double) -> Void = { _, _, _ in }) {
        self.attempted = attempted
    }
}
