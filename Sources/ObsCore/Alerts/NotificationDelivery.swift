/// One delivery attempt of a notification, as the notifier reports it to whoever keeps
/// timelines (incidents): which alerts it carried, where, and whether it arrived.
public struct NotificationDelivery: Sendable, Equatable {
    public var receiver: String
    public var fingerprints: [String]
    public var delivered: Bool
    public var time: Timestamp
    /// The answer or the failure, e.g. `HTTP 200` or `HTTP 503; retrying`.
    public var detail: String

    public init(receiver: String, fingerprints: [String], delivered: Bool, time: Timestamp, detail: String) {
        self.receiver = receiver
        self.fingerprints = fingerprints
        self.delivered = delivered
        self.time = time
        self.detail = detail
    }
}

/// Where the notifier reports its deliveries; the daemon's wiring connects the incidents.
public protocol NotificationDeliveryListener: Sendable {
    func attempted(_ delivery: NotificationDelivery) async
}
