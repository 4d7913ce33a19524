import Foundation
import Logging
import ObsCore
import ObsStorage
import ServiceLifecycle
import Synchronization

/// Sends the outbox: one worker per receiver, each with at most `max_in_flight` deliveries
/// at once, so a receiver that hangs or is down only ever delays its own notifications.
/// Within a group, entries go one at a time in the order they were composed. On shutdown,
/// attempts in flight are abandoned unrecorded and resume after the restart under the same
/// idempotency key.
public struct DeliveryService: Service {
    let receivers: [ResolvedReceiver]
    let store: SQLiteNotificationStore
    let transport: WebhookTransport
    let clock: any ObsClock
    let observer: DeliveryObserver
    /// Told of every attempt (incident timelines).
    let listeners: [any NotificationDeliveryListener]
    let logger: Logger
    let wakeups: [String: WakeSignal]
    let jitter: @Sendable () -> Double

    public init(receivers: [ResolvedReceiver], store: SQLiteNotificationStore, clock: any ObsClock,
                observer: DeliveryObserver = DeliveryObserver(), listeners: [any NotificationDeliveryListener] = [], logger: Logger,
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.receivers = receivers
        self.store = store
        self.transport = WebhookTransport()
        self.clock = clock
        self.observer = observer
        self.listeners = listeners
        self.logger = logger
        self.jitter = jitter
        var wakeups: [String: WakeSignal] = [:]
        for receiver in receivers { wakeups[receiver.name] = WakeSignal() }
        self.wakeups = wakeups
    }

    /// New outbox entries for these receivers.
    public func outboxChanged(_ receivers: Set<String>) {
        for name in receivers { wakeups[name]?.signal() }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for receiver in receivers {
                    guard let wakeup = wakeups[receiver.name] else { continue }
                    group.addTask { await self.work(for: receiver, wakeup: wakeup) }
                }
                group.addTask { await self.abandonOrphans() }
            }
        }
        await transport.shutdown()
    }

    private func work(for receiver: ResolvedReceiver, wakeup: WakeSignal) async {
        let inFlight = InFlightSet()
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let busy = inFlight.ids
                var next: Timestamp?
                do {
                    let free = receiver.receiver.maxInFlight - busy.count
                    let entries = try await store.deliverable(receiver: receiver.name, at: clock.now(), excluding: busy, limit: free)
                    for entry in entries {
                        inFlight.insert(entry.id)
                        group.addTask { [self] in
                            await deliver(entry, to: receiver)
                            inFlight.remove(entry.id)
                            wakeup.signal()
                        }
                    }
                    if busy.count + entries.count < receiver.receiver.maxInFlight {
                        next = try await store.nextAttempt(receiver: receiver.name, excluding: inFlight.ids)
                    }
                } catch {
                    logger.error("the outbox could not be read", metadata: ["receiver": "\(receiver.name)", "error": "\(error)"])
                    next = clock.now().adding(nanoseconds: Duration.seconds(5).totalNanoseconds)
                }
                await wakeup.wait(until: next, clock: clock)
            }
        }
    }

    func deliver(_ entry: OutboxEntry, to resolved: ResolvedReceiver) async {
        let receiver = resolved.receiver
        let attempt = DeliveryAttempt(receiver: receiver, entry: entry)
        let started = clock.now()
        if started >= entry.createdAt.adding(nanoseconds: receiver.maxDeliveryTime.totalNanoseconds) {
            // It waited past max_delivery_time (obs was down, or its group was blocked): given
            // up without another attempt.
            let reason = "gave up after \(DurationText.text(receiver.maxDeliveryTime)) (max_delivery_time): "
                + (entry.lastError ?? "never attempted")
            do {
                try await store.abandon(entry.id, at: started, reason: reason)
                observer.attempted(receiver.name, "dead", 0)
                logger.error("notification given up", metadata: [
                    "receiver": "\(receiver.name)", "error": "\(reason)", "idempotency_key": "\(entry.idempotencyKey)",
                ])
            } catch {
                logger.error("an expired notification could not be given up", metadata: ["error": "\(error)"])
            }
            return
        }
        let body = entry.notification.body
        var headers: [(String, String)] = [
            ("Content-Type", entry.notification.contentType),
            ("User-Agent", "obs"),
            ("Idempotency-Key", entry.idempotencyKey),
        ]
        if let secret = resolved.secret {
            headers += WebhookSignature.headers(body: body, secret: secret, timestamp: Int64(Date().timeIntervalSince1970))
        }
        for (name, value) in receiver.headers.sorted(by: { $0.key < $1.key }) { headers.append((name, value)) }
        let answer = await transport.post(to: receiver.target(path: entry.notification.urlPath), headers: headers, body: body,
                                          timeout: receiver.timeout)
        // A shutdown interrupted the attempt: leave the entry open for the next start.
        if Task.isCancelled { return }
        let finished = clock.now()
        let outcome = attempt.outcome(of: answer, at: finished, jitter: jitter())
        await finish(entry, receiver: receiver.name, at: finished,
                     seconds: Double(finished.nanoseconds - started.nanoseconds) / 1e9, outcome: outcome)
    }

    private func finish(_ entry: OutboxEntry, receiver: String, at time: Timestamp, seconds: Double,
                        outcome: DeliveryAttemptOutcome) async {
        do {
            try await store.record(attemptOn: entry.id, at: time, outcome: outcome)
        } catch {
            logger.error("a delivery attempt could not be recorded; it will be repeated",
                         metadata: ["receiver": "\(receiver)", "error": "\(error)"])
            return
        }
        await tellListeners(entry, receiver: receiver, at: time, outcome: outcome)
        switch outcome {
        case .delivered:
            observer.attempted(receiver, "delivered", seconds)
        case .retry(let code, let error, let next):
            observer.attempted(receiver, "retry", seconds)
            // The first failure of a notification is a warning; its retries would flood the log
            // during an outage (the outbox and the metrics keep the count).
            logger.log(level: entry.attempts == 0 ? .warning : .debug, "notification delivery failed; retrying", metadata: [
                "receiver": "\(receiver)", "status": "\(code.map(String.init) ?? "-")", "error": "\(error)",
                "next_attempt": "\(next)", "idempotency_key": "\(entry.idempotencyKey)",
            ])
        case .dead(let code, let error):
            observer.attempted(receiver, "dead", seconds)
            logger.error("notification given up", metadata: [
                "receiver": "\(receiver)", "status": "\(code.map(String.init) ?? "-")", "error": "\(error)",
                "idempotency_key": "\(entry.idempotencyKey)",
            ])
        }
    }

    private func tellListeners(_ entry: OutboxEntry, receiver: String, at time: Timestamp, outcome: DeliveryAttemptOutcome) async {
        guard !listeners.isEmpty else { return }
        let delivered: Bool
        let detail: String
        switch outcome {
        case .delivered(let code): (delivered, detail) = (true, "delivered (HTTP \(code))")
        case .retry(let code, let error, _): (delivered, detail) = (false, "failed: \(code.map { "HTTP \($0) " } ?? "")\(error); retrying")
        case .dead(let code, let error): (delivered, detail) = (false, "failed: \(code.map { "HTTP \($0) " } ?? "")\(error); given up")
        }
        let delivery = NotificationDelivery(receiver: receiver, fingerprints: entry.notification.fingerprints, delivered: delivered,
                                            time: time, detail: detail)
        for listener in listeners { await listener.attempted(delivery) }
    }

    /// Entries of receivers no longer configured die once, with the reason, instead of
    /// waiting forever.
    private func abandonOrphans() async {
        let configured = Set(receivers.map(\.name))
        do {
            let open = try await store.entries(matching: OutboxQuery(status: .pending, limit: OutboxQuery.maximumLimit))
                + store.entries(matching: OutboxQuery(status: .retrying, limit: OutboxQuery.maximumLimit))
            for entry in open where !configured.contains(entry.receiver) {
                try await store.abandon(entry.id, at: clock.now(),
                                        reason: "receiver \"\(entry.receiver)\" is no longer configured")
            }
        } catch {
            logger.error("the outbox could not be checked for removed receivers", metadata: ["error": "\(error)"])
        }
    }
}

/// The ids of one receiver's entries being sent right now.
private final class InFlightSet: Sendable {
    private let state = Mutex(Set<Int64>())

    var ids: Set<Int64> { state.withLock { $0 } }
    func insert(_ id: Int64) { state.withLock { _ = $0.insert(id) } }
    func remove(_ id: Int64) { state.withLock { _ = $0.remove(id) } }
}
