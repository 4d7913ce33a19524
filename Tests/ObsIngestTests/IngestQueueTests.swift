import ObsCore
import ObsIngest
import Testing

@Suite("Ingest queue")
struct IngestQueueTests {
    func logs(_ count: Int) -> [LogRecord] {
        (0..<count).map { LogRecord(time: Timestamp(nanoseconds: Int64($0)), message: "\($0)") }
    }

    @Test("refuses what does not fit, but always takes a submission into an empty queue")
    func capacity() {
        let queue = IngestQueue(capacity: 10)
        #expect(queue.offer(logs: logs(25)) == .enqueued)
        #expect(queue.offer(logs: logs(1)) == .full)
        #expect(queue.depth == 25)
        _ = queue.pollBatch(maxRecords: 100)
        #expect(queue.depth == 0)
        #expect(queue.offer(logs: logs(6)) == .enqueued)
        #expect(queue.offer(logs: logs(4)) == .enqueued)
        #expect(queue.offer(logs: logs(1)) == .full)
    }

    @Test("batches take whole submissions up to the bound, in order")
    func batching() {
        let queue = IngestQueue(capacity: 100)
        _ = queue.offer(logs: logs(3))
        _ = queue.offer(logs: logs(4))
        _ = queue.offer(logs: logs(5))
        #expect(queue.pollBatch(maxRecords: 8)?.recordCount == 7)
        #expect(queue.pollBatch(maxRecords: 2)?.recordCount == 5)
        #expect(queue.pollBatch(maxRecords: 8) == nil)
    }

    @Test("a submitter returns only when its batch is completed, with the writer's result")
    func acknowledgement() async throws {
        let queue = IngestQueue(capacity: 100)
        async let submitted: Void = queue.submit(logs: logs(2))
        let batch = try #require(await queue.nextBatch(maxRecords: 10))
        #expect(batch.acknowledgements.count == 1)
        batch.complete(.success(()))
        try await submitted

        struct DiskFull: Error {}
        let failing = Task { try await queue.submit(logs: self.logs(1)) }
        let second = try #require(await queue.nextBatch(maxRecords: 10))
        second.complete(.failure(DiskFull()))
        await #expect(throws: DiskFull.self) { try await failing.value }
    }

    @Test("a full queue refuses a submitter at once")
    func submitFull() async {
        let queue = IngestQueue(capacity: 2)
        #expect(queue.offer(logs: logs(2)) == .enqueued)
        await #expect(throws: IngestQueue.SubmitError.full) { try await queue.submit(logs: self.logs(1)) }
    }

    @Test("finish: refuses new records, hands out the queued ones, then ends")
    func finish() async {
        let queue = IngestQueue(capacity: 10)
        _ = queue.offer(logs: logs(3))
        queue.finish()
        #expect(queue.offer(logs: logs(1)) == .closed)
        #expect(await queue.nextBatch(maxRecords: 10)?.recordCount == 3)
        #expect(await queue.nextBatch(maxRecords: 10) == nil)
    }

    @Test("a waiting consumer wakes for new records and for finish")
    func wakeUp() async {
        let queue = IngestQueue(capacity: 10)
        async let first = queue.nextBatch(maxRecords: 10)
        try? await Task.sleep(for: .milliseconds(10))
        _ = queue.offer(logs: logs(2))
        #expect(await first?.recordCount == 2)
        async let second = queue.nextBatch(maxRecords: 10)
        queue.finish()
        #expect(await second == nil)
    }
}
