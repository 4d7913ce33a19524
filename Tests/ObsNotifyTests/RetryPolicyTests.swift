import Foundation
import ObsCore
import ObsStorage
import Testing
@testable import ObsNotify

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(initialBackoff: .seconds(1), maxBackoff: .seconds(300))

    @Test(arguments: [(1, 1), (2, 2), (3, 4), (4, 8), (8, 128), (9, 256), (10, 300), (40, 300), (500, 300)])
    func backoffDoublesUpToTheCap(failures: Int, seconds: Int64) {
        #expect(policy.backoff(afterFailures: failures) == .seconds(seconds))
    }

    @Test func jitterStaysWithinTheUpperHalfOfTheBackoff() {
        for failures in 1...12 {
            let backoff = policy.backoff(afterFailures: failures)
            #expect(policy.delay(afterFailures: failures, retryAfter: nil, unit: 0) == backoff / 2)
            let highest = policy.delay(afterFailures: failures, retryAfter: nil, unit: 0.999_999)
            #expect(highest < backoff)
            #expect(highest > backoff / 2)
        }
    }

    @Test(arguments: [0.0, 0.3, 0.999])
    func retryAfterIsAFloorJitterNeverShortens(unit: Double) {
        #expect(policy.delay(afterFailures: 1, retryAfter: .seconds(120), unit: unit) == .seconds(120))
        // A Retry-After shorter than the backoff does not shorten it either.
        #expect(policy.delay(afterFailures: 9, retryAfter: .seconds(1), unit: unit) >= .seconds(128))
    }
}

@Suite struct DeliveryAttemptTests {
    let start = Timestamp(nanoseconds: 1_800_000_000_000_000_000)

    func attempt(attempts: Int = 0, maxDeliveryTime: Duration = .seconds(86_400)) -> DeliveryAttempt {
        let receiver = Receiver(name: "hook", url: URL(string: "http://127.0.0.1:9/hook")!, format: .alertmanager,
                                maxDeliveryTime: maxDeliveryTime)
        let notification = NewOutboxEntry(idempotencyKey: "k", receiver: "hook", groupKey: "{}:{}", notificationStatus: "firing",
                                          fingerprints: [], firingCount: 1, resolvedCount: 0, contentType: "application/json",
                                          urlPath: nil, body: [])
        let entry = OutboxEntry(id: 1, notification: notification, status: attempts == 0 ? .pending : .retrying, createdAt: start,
                                nextAttemptAt: start, attempts: attempts, lastAttemptAt: nil, finishedAt: nil, lastStatusCode: nil,
                                lastError: nil)
        return DeliveryAttempt(receiver: receiver, entry: entry)
    }

    @Test(arguments: [200, 202, 204, 299])
    func twoHundredsAreDelivered(status: Int) {
        #expect(attempt().outcome(of: .answered(status: status, retryAfter: nil, body: ""), at: start, jitter: 0.5)
            == .delivered(statusCode: status))
    }

    @Test(arguments: [400, 401, 403, 404, 410, 422])
    func otherClientErrorsArePermanentWithTheAnswerKept(status: Int) {
        let outcome = attempt().outcome(of: .answered(status: status, retryAfter: nil, body: "bad alert body\n"), at: start, jitter: 0.5)
        #expect(outcome == .dead(statusCode: status, error: "HTTP \(status): bad alert body"))
    }

    @Test(arguments: [429, 500, 502, 503, 504, 408])
    func overloadAndServerErrorsAreRetried(status: Int) {
        guard case .retry(let code, _, let next) = attempt(attempts: 2).outcome(
            of: .answered(status: status, retryAfter: nil, body: ""), at: start, jitter: 0) else {
            Issue.record("HTTP \(status) was not retried")
            return
        }
        #expect(code == status)
        // The third failure: a 4 s backoff, jitter 0 → 2 s.
        #expect(next == start.adding(nanoseconds: 2_000_000_000))
    }

    @Test func retryAfterSecondsAndDatesAreHonoured() {
        let seconds = attempt().outcome(of: .answered(status: 503, retryAfter: "90", body: ""), at: start, jitter: 0.9)
        #expect(seconds == .retry(statusCode: 503, error: "HTTP 503", nextAttemptAt: start.adding(nanoseconds: 90_000_000_000)))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let date = formatter.string(from: Date(timeIntervalSince1970: Double(start.nanoseconds / 1_000_000_000 + 600)))
        let dated = attempt().outcome(of: .answered(status: 429, retryAfter: date, body: ""), at: start, jitter: 0.9)
        #expect(dated == .retry(statusCode: 429, error: "HTTP 429", nextAttemptAt: start.adding(nanoseconds: 600_000_000_000)))
    }

    @Test func noAnswerIsRetried() {
        let outcome = attempt().outcome(of: .failed("connection refused"), at: start, jitter: 0)
        #expect(outcome == .retry(statusCode: nil, error: "connection refused", nextAttemptAt: start.adding(nanoseconds: 500_000_000)))
    }

    @Test func aRetryPastMaxDeliveryTimeDies() {
        let late = start.adding(nanoseconds: 59 * 1_000_000_000)
        let outcome = attempt(attempts: 6, maxDeliveryTime: .seconds(60)).outcome(of: .failed("connection refused"), at: late, jitter: 0)
        #expect(outcome == .dead(statusCode: nil, error: "gave up after 1m (max_delivery_time): connection refused"))
    }
}
