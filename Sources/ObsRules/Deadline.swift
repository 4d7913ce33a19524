import ObsCore
import Synchronization

/// Waits for a task's result, but no longer than `timeout` on `clock`. The task is not
/// awaited past the deadline (a query stuck in SQLite cannot be interrupted): its result is
/// dropped when it arrives, and the caller learns of the timeout at once.
enum Deadline {
    static func race<Value: Sendable>(
        _ task: Task<Value, any Error>, timeout: Duration, clock: any ObsClock, timedOut: @escaping @Sendable () -> RuleFailure
    ) async -> Result<Value, RuleFailure> {
        let deadline = clock.now().adding(nanoseconds: timeout.totalNanoseconds)
        return await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, RuleFailure>, Never>) in
            let resumed = Mutex(false)
            let resume: @Sendable (Result<Value, RuleFailure>) -> Void = { result in
                let first = resumed.withLock { done in
                    defer { done = true }
                    return !done
                }
                if first { continuation.resume(returning: result) }
            }
            let timer = Task {
                do {
                    try await clock.sleep(until: deadline)
                    resume(.failure(timedOut()))
                } catch {
                    // Cancelled: the task finished first.
                }
            }
            Task {
                let result = await task.result
                timer.cancel()
                switch result {
                case .success(let value): resume(.success(value))
                case .failure(let error): resume(.failure(RuleFailure("\(error)")))
                }
            }
        }
    }
}
