/// A store transaction in which alert transitions are being written. Opaque here: the alert
/// store that opened it hands it to each sink, and a sink passes it back to its own store
/// methods (the notification outbox, incident timelines), so what they write commits or rolls
/// back together with the transitions.
public protocol AlertTransaction: AnyObject {}

/// Where the rule engine hands every alert transition: the notifier and incidents implement
/// it, the daemon's wiring connects them, and the rule engine never knows who listens.
public protocol AlertTransitionSink: Sendable {
    /// Runs inside the transaction that stores `transitions` and the alerts' new state.
    /// Throwing rolls all of it back; the rule keeps its previous state and the evaluation
    /// is retried at its next interval.
    func record(_ transitions: [AlertTransition], in transaction: any AlertTransaction) throws
    /// Runs after that transaction committed.
    func committed(_ transitions: [AlertTransition])
}

extension AlertTransitionSink {
    public func record(_ transitions: [AlertTransition], in transaction: any AlertTransaction) throws {}
    public func committed(_ transitions: [AlertTransition]) {}
}
