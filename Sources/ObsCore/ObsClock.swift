/// Where long-running services read "now" and wait: the system clock in the daemon, a manual
/// clock in tests (`ObsTesting.ManualClock`), so evaluation times are exact and no test waits
/// for real time to pass.
public protocol ObsClock: Sendable {
    func now() -> Timestamp
    /// Returns once the clock reads `deadline` or later; throws `CancellationError` when the
    /// task is cancelled first.
    func sleep(until deadline: Timestamp) async throws
}

extension ObsClock {
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now().adding(nanoseconds: duration.totalNanoseconds))
    }
}

/// The wall clock.
public struct SystemClock: ObsClock {
    public init() {}

    public func now() -> Timestamp { Timestamp.now() }

    public func sleep(until deadline: Timestamp) async throws {
        let remaining = deadline.nanoseconds - now().nanoseconds
        if remaining > 0 {
            try await Task.sleep(for: .nanoseconds(remaining))
        } else {
            try Task.checkCancellation()
        }
    }
}
