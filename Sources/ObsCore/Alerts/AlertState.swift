/// Where an alert is in its lifecycle: inactive → pending (the condition holds, `for` has not
/// passed yet) → firing → resolved. An alert that is pending or firing is active.
public enum AlertState: String, Sendable, Equatable, CaseIterable {
    /// A pending alert whose condition stopped holding before `for` passed.
    case inactive
    case pending
    case firing
    case resolved

    public var isActive: Bool { self == .pending || self == .firing }
}
