import Foundation
import ObsCore
import ObsStorage

/// How the answer to one POST is judged: 2xx delivered; 429, 5xx and no answer at all are
/// worth retrying (honouring `Retry-After`); any other answer is permanent, and the entry
/// dies with the receiver's answer kept. Past `max_delivery_time`, a retry becomes death.
public struct DeliveryAttempt: Sendable {
    public var receiver: Receiver
    public var entry: OutboxEntry

    public init(receiver: Receiver, entry: OutboxEntry) {
        self.receiver = receiver
        self.entry = entry
    }

    public func outcome(of answer: WebhookTransport.Outcome, at now: Timestamp, jitter unit: Double) -> DeliveryAttemptOutcome {
        let failures = entry.attempts + 1
        let deadline = entry.createdAt.adding(nanoseconds: receiver.maxDeliveryTime.totalNanoseconds)
        func retry(_ code: Int?, _ error: String, retryAfter: Duration?) -> DeliveryAttemptOutcome {
            let delay = receiver.retry.delay(afterFailures: failures, retryAfter: retryAfter, unit: unit)
            let next = now.adding(nanoseconds: delay.totalNanoseconds)
            guard next < deadline else {
                return .dead(statusCode: code, error: "gave up after \(DurationText.text(receiver.maxDeliveryTime)) (max_delivery_time): \(error)")
            }
            return .retry(statusCode: code, error: error, nextAttemptAt: next)
        }
        switch answer {
        case .answered(let status, _, _) where (200..<300).contains(status):
            return .delivered(statusCode: status)
        case .answered(let status, let retryAfter, let body) where status == 429 || status == 503:
            return retry(status, Self.describe(status, body), retryAfter: retryAfter.flatMap { Self.retryAfter($0, now: now) })
        case .answered(let status, _, let body) where status >= 500 || status == 408:
            return retry(status, Self.describe(status, body), retryAfter: nil)
        case .answered(let status, _, let body):
            return .dead(statusCode: status, error: Self.describe(status, body))
        case .failed(let reason):
            return retry(nil, reason, retryAfter: nil)
        }
    }

    static func describe(_ status: Int, _ body: String) -> String {
        let answer = body.trimmingCharacters(in: .whitespacesAndNewlines)
        return answer.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(answer)"
    }

    /// `Retry-After` as seconds or as an HTTP date (RFC 9110).
    static func retryAfter(_ text: String, now: Timestamp) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(trimmed), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        let delta = Int64(date.timeIntervalSince1970 * 1e9) - now.nanoseconds
        return .nanoseconds(max(delta, 0))
    }
}
