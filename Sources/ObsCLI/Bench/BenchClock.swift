import ObsCore
import Synchronization

/// The simulated clock of benchmarks that build history faster than real time: it reads
/// whatever time the generator has reached, and nothing sleeps on it.
final class BenchClock: ObsClock {
    private let nanoseconds: Atomic<Int64>

    init(now: Timestamp) {
        nanoseconds = Atomic(now.nanoseconds)
    }

    func now() -> Timestamp { Timestamp(nanoseconds: nanoseconds.load(ordering: .relaxed)) }

    func set(_ time: Timestamp) { nanoseconds.store(time.nanoseconds, ordering: .relaxed) }

    func sleep(until deadline: Timestamp) async throws {
        try Task.checkCancellation()
    }
}
