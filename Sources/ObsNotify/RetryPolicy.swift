import ObsCore

/// When a failed delivery is tried again: exponential backoff from `initialBackoff` doubling
/// up to `maxBackoff`, with jitter so that many notifications failing together do not retry
/// in lockstep. A receiver's `Retry-After` is a floor: jitter never brings a retry earlier.
public struct RetryPolicy: Sendable, Equatable {
    public var initialBackoff: Duration
    public var maxBackoff: Duration

    public init(initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(300)) {
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// The backoff before attempt `failures + 1`, before jitter: initial × 2^(failures − 1),
    /// capped.
    public func backoff(afterFailures failures: Int) -> Duration {
        let initial = max(initialBackoff.totalNanoseconds, 1)
        let cap = max(maxBackoff.totalNanoseconds, initial)
        let doublings = max(0, min(failures - 1, 62))
        let (scaled, overflow) = initial.multipliedReportingOverflow(by: Int64(1) << doublings)
        return .nanoseconds(overflow ? cap : min(scaled, cap))
    }

    /// The delay before the next attempt. `unit` is a random number in [0, 1): the delay is
    /// drawn from [backoff/2, backoff) ("equal jitter": never less than half the backoff, so
    /// the schedule still grows), then raised to `retryAfter` when the receiver asked for more.
    public func delay(afterFailures failures: Int, retryAfter: Duration?, unit: Double) -> Duration {
        let backoff = self.backoff(afterFailures: failures).totalNanoseconds
        let fraction = min(max(unit, 0), 0.999_999_999)
        let jittered = backoff / 2 + Int64(Double(backoff / 2) * fraction)
        let floor = retryAfter.map { max($0.totalNanoseconds, 0) } ?? 0
        return .nanoseconds(max(jittered, floor))
    }
}
