import ObsCore
import Synchronization

/// The bounded queue between decoders (many producers) and the writer (one consumer). It
/// never grows past its capacity: a submission that does not fit is refused (`full`, which
/// HTTP turns into a 429 and UDP into a counted drop) instead of being buffered or silently
/// dropped.
public final class IngestQueue: IngestBatchSource {
    public enum OfferResult: Equatable, Sendable {
        case enqueued
        case full
        case closed
    }

    public enum SubmitError: Error, Equatable, Sendable {
        case full
        case closed
    }

    private struct Entry {
        var logs: [LogRecord]
        var spans: [TraceSpan]
        var acknowledgement: IngestAcknowledgement?

        var count: Int { logs.count + spans.count }
    }

    private struct State {
        var entries: [Entry] = []
        var head = 0
        var queuedRecords = 0
        var closed = false
        var waitingConsumer: CheckedContinuation<Void, Never>?

        var isEmpty: Bool { head == entries.count }
    }

    public let capacity: Int
    private let state = Mutex(State())

    /// - Parameter capacity: the most records queued at once. A submission larger than the
    ///   whole capacity is still taken when the queue is empty, so it can never be refused forever.
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Records currently waiting for the writer.
    public var depth: Int { state.withLock { $0.queuedRecords } }

    /// Enqueues records nobody waits for (UDP).
    public func offer(logs: [LogRecord] = [], spans: [TraceSpan] = []) -> OfferResult {
        let entry = Entry(logs: logs, spans: spans, acknowledgement: nil)
        guard entry.count > 0 else { return .enqueued }
        let (result, consumer) = state.withLock { state -> (OfferResult, CheckedContinuation<Void, Never>?) in
            if state.closed { return (.closed, nil) }
            guard fits(entry.count, state) else { return (.full, nil) }
            state.entries.append(entry)
            state.queuedRecords += entry.count
            return (.enqueued, takeConsumer(&state))
        }
        consumer?.resume()
        return result
    }

    /// Enqueues records and returns once the writer committed them.
    /// Throws `SubmitError.full` at once when they do not fit, or the writer's error.
    public func submit(logs: [LogRecord] = [], spans: [TraceSpan] = []) async throws {
        guard logs.count + spans.count > 0 else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let entry = Entry(logs: logs, spans: spans, acknowledgement: IngestAcknowledgement { continuation.resume(with: $0) })
            let (refusal, consumer) = state.withLock { state -> (SubmitError?, CheckedContinuation<Void, Never>?) in
                if state.closed { return (.closed, nil) }
                guard fits(entry.count, state) else { return (.full, nil) }
                state.entries.append(entry)
                state.queuedRecords += entry.count
                return (nil, takeConsumer(&state))
            }
            consumer?.resume()
            if let refusal { continuation.resume(throwing: refusal) }
        }
    }

    /// Stops taking submissions; the writer drains what is queued, then `nextBatch` returns nil.
    public func finish() {
        let consumer = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.closed = true
            return takeConsumer(&state)
        }
        consumer?.resume()
    }

    public func nextBatch(maxRecords: Int) async -> IngestBatch? {
        while true {
            if let batch = pollBatch(maxRecords: maxRecords) { return batch }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let wait = state.withLock { state -> Bool in
                    guard state.isEmpty, !state.closed else { return false }
                    state.waitingConsumer = continuation
                    return true
                }
                if !wait { continuation.resume() }
            }
            let drainedAndClosed = state.withLock { $0.isEmpty && $0.closed }
            if drainedAndClosed { return nil }
        }
    }

    public func pollBatch(maxRecords: Int) -> IngestBatch? {
        state.withLock { state -> IngestBatch? in
            guard !state.isEmpty else { return nil }
            var batch = IngestBatch()
            while !state.isEmpty {
                let entry = state.entries[state.head]
                if batch.recordCount > 0, batch.recordCount + entry.count > maxRecords { break }
                batch.logs.append(contentsOf: entry.logs)
                batch.spans.append(contentsOf: entry.spans)
                if let acknowledgement = entry.acknowledgement { batch.acknowledgements.append(acknowledgement) }
                state.queuedRecords -= entry.count
                state.head += 1
            }
            if state.isEmpty {
                state.entries.removeAll(keepingCapacity: true)
                state.head = 0
            } else if state.head > 1024, state.head * 2 > state.entries.count {
                state.entries.removeFirst(state.head)
                state.head = 0
            }
            return batch
        }
    }

    private func fits(_ count: Int, _ state: State) -> Bool {
        state.queuedRecords == 0 || state.queuedRecords + count <= capacity
    }

    private func takeConsumer(_ state: inout State) -> CheckedContinuation<Void, Never>? {
        defer { state.waitingConsumer = nil }
        return state.waitingConsumer
    }
}
