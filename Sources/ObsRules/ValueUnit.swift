/// What an expression's values measure, so `{{ $value }}` prints `2.31s` or `0.42%`.
public enum ValueUnit: String, Sendable, Equatable {
    /// Latencies and durations, in milliseconds.
    case milliseconds
    /// A fraction where 1 means 100%.
    case ratio
    /// A rate per second.
    case perSecond
    /// A plain count.
    case count
    /// Nothing known: printed like a count.
    case none
}
