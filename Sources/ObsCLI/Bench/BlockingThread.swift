import Foundation

/// Runs blocking work (blocking sockets, sleeps) on a thread of its own and awaits its result,
/// so it never holds one of the few threads of Swift's cooperative pool.
enum BlockingThread {
    static func run<T: Sendable>(_ name: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.name = name
            thread.start()
        }
    }
}
