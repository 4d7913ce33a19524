import Foundation
import Logging
import ObsCore
import ObsStorage
import ObsTesting
import Testing
@testable import ObsNotify

/// The delivery service against a real HTTP receiver, on a manual clock: the retry schedule
/// is read from the outbox after each failure, and time moves only when the test says so.
@Suite struct DeliveryScheduleTests {
    /// Polls real time until `condition` holds; the service runs concurrently.
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<400 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(25))
        }
        return try await condition()
    }

    /// Runs the delivery service while `body` runs; stops it (and its HTTP client) afterwards,
    /// also when `body` throws.
    static func running<T>(_ delivery: DeliveryService, _ body: () async throws -> T) async throws -> T {
        let task = Task { try await delivery.run() }
        do {
            let result = try await body()
            task.cancel()
            _ = await task.result
            return result
        } catch {
            task.cancel()
            _ = await task.result
            throw error
        }
    }

    @Test("503, 503 with Retry-After, 500, then 200: retried after 0.5 s, max(1 s, Retry-After 3 s), 2 s; delivered once under one key")
    func backoffSchedule() async throws {
        try await WebhookRecorder.withRecorder { recorder in
            recorder.respond(withSequence: [.status(503), .status(503, retryAfter: "3"), .status(500), .ok])
            var receiver = NotificationPipelineFixture.receiver("hook", format: .alertmanager)
            receiver.url = URL(string: recorder.url())!
            receiver.retry = RetryPolicy(initialBackoff: .seconds(1), maxBackoff: .seconds(4))
            let fixture = try NotificationPipelineFixture(route: RouteSpec(receiver: "hook", groupWait: .zero), receivers: [receiver])
            try await fixture.fire(["alertname": "HighLatency", "service": "checkout"])
            await fixture.flush()
            let delivery = DeliveryService(
                receivers: [ResolvedReceiver(receiver: receiver, secret: Array("s".utf8), routingKey: nil)], store: fixture.store,
                clock: fixture.clock, logger: Logger(label: "test"), jitter: { 0 }
            )
            try await Self.running(delivery) {
                // Jitter 0 takes the lower end of [backoff/2, backoff); Retry-After is a floor.
                let expectedDelays: [Duration] = [.milliseconds(500), .seconds(3), .seconds(2)]
                for (failure, delay) in expectedDelays.enumerated() {
                    var entry: OutboxEntry?
                    let recorded = try await Self.eventually {
                        entry = try await fixture.outbox().first
                        return entry?.attempts == failure + 1 && fixture.clock.sleeperCount > 0
                    }
                    #expect(recorded, "attempt \(failure + 1) was not recorded: \(String(describing: entry))")
                    let retrying = try #require(entry)
                    #expect(retrying.status == .retrying)
                    #expect(retrying.nextAttemptAt == fixture.clock.now().adding(nanoseconds: delay.totalNanoseconds),
                            "failure \(failure + 1): next attempt \(retrying.nextAttemptAt), expected now + \(delay)")
                    // Just before the retry is due nothing is sent.
                    fixture.clock.advance(to: retrying.nextAttemptAt.adding(nanoseconds: -1))
                    try await Task.sleep(for: .milliseconds(100))
                    #expect(recorder.requests.count == failure + 1)
                    fixture.clock.advance(to: retrying.nextAttemptAt)
                }
                let delivered = try await Self.eventually { try await fixture.outbox().first?.status == .delivered }
                #expect(delivered)
                let entry = try #require(try await fixture.outbox().first)
                #expect(entry.attempts == 4)
                #expect(entry.lastStatusCode == 200)
                #expect(recorder.requests.count == 4)
                #expect(Set(recorder.requests.compactMap { $0.header("Idempotency-Key") }) == [entry.idempotencyKey])
            }
        }
    }

    @Test("one receiver that hangs does not delay another")
    func slowReceiverIsolated() async throws {
        try await WebhookRecorder.withRecorder { slow in
            try await WebhookRecorder.withRecorder { fast in
                slow.respond(withSequence: [.hang(for: .seconds(30))])
                var hanging = NotificationPipelineFixture.receiver("slow", format: .json)
                hanging.url = URL(string: slow.url())!
                hanging.maxInFlight = 1
                var quick = NotificationPipelineFixture.receiver("fast", format: .json)
                quick.url = URL(string: fast.url())!
                let route = RouteSpec(receiver: "slow", groupWait: .zero, routes: [
                    RouteSpec(receiver: "fast", matchers: [try LabelMatcher(parsing: "service=~.+")], continueMatching: true),
                    RouteSpec(receiver: "slow", matchers: [try LabelMatcher(parsing: "service=~.+")]),
                ])
                let fixture = try NotificationPipelineFixture(route: route, receivers: [hanging, quick])
                // Different services: the slow receiver's second group waits behind its only slot.
                try await fixture.fire(["alertname": "A", "service": "checkout"])
                try await fixture.fire(["alertname": "A", "service": "cart"])
                await fixture.flush()
                let delivery = DeliveryService(
                    receivers: [hanging, quick].map { ResolvedReceiver(receiver: $0, secret: nil, routingKey: nil) }, store: fixture.store,
                    clock: fixture.clock, logger: Logger(label: "test")
                )
                try await Self.running(delivery) {
                    let arrived = try await fast.waitForRequests(count: 2)
                    #expect(arrived.count == 2)
                    // The slow receiver holds its one slot with the first group; its second waits.
                    _ = try await slow.waitForRequests(count: 1)
                    #expect(slow.requests.count == 1)
                    let statuses = try await fixture.store.entries(matching: OutboxQuery(receiver: "fast")).map(\.status)
                    #expect(try await Self.eventually {
                        try await fixture.store.entries(matching: OutboxQuery(receiver: "fast")).allSatisfy { $0.status == .delivered }
                    }, "\(statuses)")
                }
            }
        }
    }

    @Test("a receiver that hangs past the timeout, then drops the connection: both retried, with the reason kept; then delivered")
    func hangAndDrop() async throws {
        try await WebhookRecorder.withRecorder { recorder in
            recorder.respond(withSequence: [.hang(for: .seconds(20)), .dropConnection, .ok])
            var receiver = NotificationPipelineFixture.receiver("hook", format: .slack)
            receiver.url = URL(string: recorder.url())!
            receiver.timeout = .milliseconds(500)
            let fixture = try NotificationPipelineFixture(route: RouteSpec(receiver: "hook", groupWait: .zero), receivers: [receiver])
            try await fixture.fire(["alertname": "HighLatency", "service": "checkout"])
            await fixture.flush()
            let delivery = DeliveryService(receivers: [ResolvedReceiver(receiver: receiver, secret: nil, routingKey: nil)],
                                           store: fixture.store, clock: fixture.clock, logger: Logger(label: "test"), jitter: { 0 })
            try await Self.running(delivery) {
                var errors: [String] = []
                for attempt in 1...2 {
                    var entry: OutboxEntry?
                    #expect(try await Self.eventually {
                        entry = try await fixture.outbox().first
                        return entry?.attempts == attempt && fixture.clock.sleeperCount > 0
                    })
                    let retrying = try #require(entry)
                    #expect(retrying.status == .retrying)
                    errors.append(retrying.lastError ?? "")
                    fixture.clock.advance(to: retrying.nextAttemptAt)
                }
                #expect(errors.first == "no answer within 500ms")
                #expect(errors.last?.isEmpty == false)
                #expect(try await Self.eventually { try await fixture.outbox().first?.status == .delivered })
                #expect(recorder.requests.count == 3)
            }
        }
    }

    @Test("a notification that waited past max_delivery_time (obs was down) is given up without an attempt")
    func expiredWhileWaiting() async throws {
        try await WebhookRecorder.withRecorder { recorder in
            var receiver = NotificationPipelineFixture.receiver("hook", format: .json)
            receiver.url = URL(string: recorder.url())!
            receiver.maxDeliveryTime = .seconds(60)
            let fixture = try NotificationPipelineFixture(route: RouteSpec(receiver: "hook", groupWait: .zero), receivers: [receiver])
            try await fixture.fire(["alertname": "HighLatency", "service": "checkout"])
            await fixture.flush()
            fixture.advance(by: .seconds(61))
            let delivery = DeliveryService(receivers: [ResolvedReceiver(receiver: receiver, secret: nil, routingKey: nil)],
                                           store: fixture.store, clock: fixture.clock, logger: Logger(label: "test"))
            try await Self.running(delivery) {
                #expect(try await Self.eventually { try await fixture.outbox().first?.status == .dead })
                let entry = try #require(try await fixture.outbox().first)
                #expect(entry.lastError == "gave up after 1m (max_delivery_time): never attempted")
                #expect(entry.attempts == 0)
                #expect(recorder.requests.isEmpty)
            }
        }
    }
}
