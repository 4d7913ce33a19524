import Foundation
import ObsCore
import ObsStorage
import ObsTesting
import Testing
@testable import ObsNotify

/// Grouping, timing, silences and inhibition end to end through SQLite: what the outbox holds
/// after each step, with time moved by hand.
@Suite struct NotificationPipelineTests {
    typealias Fixture = NotificationPipelineFixture

    static func latency(_ instance: String, service: String = "checkout", severity: String = "page") -> [String: String] {
        ["alertname": "HighLatency", "service": service, "instance": instance, "severity": severity]
    }

    static let defaultRoute = RouteSpec(receiver: "oncall", groupWait: .seconds(5), groupInterval: .seconds(60),
                                        repeatInterval: .seconds(4 * 3600))

    @Test("three alerts of a group within group_wait become one notification, sent when group_wait ends")
    func groupWait() async throws {
        let fixture = try Fixture(route: Self.defaultRoute, receivers: [Fixture.receiver("oncall")])
        try await fixture.fire(Self.latency("a"))
        fixture.advance(by: .seconds(2))
        try await fixture.fire(Self.latency("b"))
        try await fixture.fire(Self.latency("c"))
        await fixture.flush()
        #expect(try await fixture.outbox().isEmpty)
        fixture.advance(by: .seconds(3))
        await fixture.flush()
        let outbox = try await fixture.outbox()
        try #require(outbox.count == 1)
        #expect(try Fixture.alertStatuses(outbox[0]) == ["a": "firing", "b": "firing", "c": "firing"])
        #expect(outbox[0].notification.groupKey == #"{}:{alertname="HighLatency", service="checkout"}"#)
        #expect(outbox[0].status == .pending)
        // Nothing changed: the next group_interval tick sends nothing.
        fixture.advance(by: .seconds(60))
        await fixture.flush()
        #expect(try await fixture.outbox().count == 1)
    }

    @Test("a resolution waits for group_interval and carries the resolving value; the group then goes away")
    func resolution() async throws {
        let fixture = try Fixture(route: Self.defaultRoute, receivers: [Fixture.receiver("oncall")])
        try await fixture.fire(Self.latency("a"), value: 2.5)
        fixture.advance(by: .seconds(5))
        await fixture.flush()
        fixture.advance(by: .seconds(10))
        try await fixture.resolve(Self.latency("a"), value: 0.4)
        await fixture.flush()
        #expect(try await fixture.outbox().count == 1)
        fixture.advance(by: .seconds(50))
        await fixture.flush()
        let outbox = try await fixture.outbox()
        try #require(outbox.count == 2)
        #expect(outbox[1].notification.notificationStatus == "resolved")
        let alert = try #require((try Fixture.body(outbox[1])["alerts"] as? [[String: Any]])?.first)
        #expect(alert["value"] as? Double == 0.4)
        #expect(try await fixture.store.groups().isEmpty)
    }

    @Test("send_resolved false: no resolved notification")
    func sendResolvedOff() async throws {
        let fixture = try Fixture(route: Self.defaultRoute, receivers: [Fixture.receiver("oncall", sendResolved: false)])
        try await fixture.fire(Self.latency("a"))
        fixture.advance(by: .seconds(5))
        await fixture.flush()
        try await fixture.resolve(Self.latency("a"))
        fixture.advance(by: .seconds(60))
        await fixture.flush()
        #expect(try await fixture.outbox().count == 1)
        #expect(try await fixture.store.groups().isEmpty)
    }

    @Test("repeat_interval re-sends a firing group that did not change")
    func repeatInterval() async throws {
        let route = RouteSpec(receiver: "oncall", groupWait: .zero, groupInterval: .seconds(60), repeatInterval: .seconds(300))
        let fixture = try Fixture(route: route, receivers: [Fixture.receiver("oncall")])
        try await fixture.fire(Self.latency("a"))
        await fixture.flush()
        for _ in 0..<4 {
            fixture.advance(by: .seconds(60))
            await fixture.flush()
        }
        #expect(try await fixture.outbox().count == 1)
        fixture.advance(by: .seconds(60))
        await fixture.flush()
        #expect(try await fixture.outbox().count == 2)
    }

    @Test("a new alert joining a notified group is sent at the next group_interval tick, with the whole group")
    func joining() async throws {
        let fixture = try Fixture(route: Self.defaultRoute, receivers: [Fixture.receiver("oncall")])
        try await fixture.fire(Self.latency("a"))
        fixture.advance(by: .seconds(5))
        await fixture.flush()
        fixture.advance(by: .seconds(1))
        try await fixture.fire(Self.latency("b"))
        fixture.advance(by: .seconds(30))
        await fixture.flush()
        #expect(try await fixture.outbox().count == 1)
        fixture.advance(by: .seconds(30))
        await fixture.flush()
        let outbox = try await fixture.outbox()
        try #require(outbox.count == 2)
        #expect(try Fixture.alertStatuses(outbox[1]) == ["a": "firing", "b": "firing"])
    }

    @Test("routes: a continue route and a child route both get the alert, each in its own group")
    func routing() async throws {
        let route = RouteSpec(receiver: "oncall", groupWait: .zero, routes: [
            RouteSpec(receiver: "audit", matchers: [try LabelMatcher(parsing: #"severity="page""#)], continueMatching: true),
            RouteSpec(receiver: "checkout-team", matchers: [try LabelMatcher(parsing: "service=checkout")]),
        ])
        let fixture = try Fixture(route: route, receivers: ["oncall", "audit", "checkout-team"].map { Fixture.receiver($0) })
        try await fixture.fire(Self.latency("a"))
        try await fixture.fire(Self.latency("b", service: "search", severity: "ticket"))
        await fixture.flush()
        let receivers = try await fixture.outbox().map(\.receiver).sorted()
        #expect(receivers == ["audit", "checkout-team", "oncall"])
    }

    @Test("a silence mutes; the alert is announced when the silence ends and it still fires")
    func silence() async throws {
        let fixture = try Fixture(route: Self.defaultRoute, receivers: [Fixture.receiver("oncall")])
        let book = SilenceBook(store: fixture.store, clock: fixture.clock)
        let silence = try await book.add(matchers: ["service=checkout", "alertname=~High.*"], startsAt: nil,
                                         endsAt: Fixture.start.adding(nanoseconds: 600_000_000_000), comment: "deploy", author: "test")
        try await fixture.fire(Self.latency("a"))
        fixture.advance(by: .seconds(5))
        await fixture.flush()
        #expect(try await fixture.outbox().isEmpty)
        #expect(try await fixture.store.groups().count == 1)
        // Expired early: the next tick announces it.
        #expect(try await book.expire(id: silence.id)?.state(at: fixture.clock.now()) == .expired)
        fixture.advance(by: .seconds(60))
        await fixture.flush()
        let outbox = try await fixture.outbox()
        try #require(outbox.count == 1)
        #expect(try Fixture.alertStatuses(outbox[0]) == ["a": "firing"])
    }

    @Test("an alert silenced after it was announced is announced again when the silence ends")
    func silencedAfterAnnouncement() async throws {
        let fixture = try Fixture(route: Self.defaultRoute, receivers: [Fixture.receiver("oncall")])
        try await fixture.fire(Self.latency("a"))
        fixture.advance(by: .seconds(5))
        await fixture.flush()
        let book = SilenceBook(store: fixture.store, clock: fixture.clock)
        _ = try await book.add(matchers: ["instance=a"], startsAt: nil, endsAt: fixture.clock.now().adding(nanoseconds: 90_000_000_000),
                               comment: "", author: "")
        fixture.advance(by: .seconds(60))
        await fixture.flush()
        #expect(try await fixture.outbox().count == 1)
        fixture.advance(by: .seconds(60))
        await fixture.flush()
        #expect(try await fixture.outbox().count == 2)
    }

    @Test("inhibition: a firing critical alert mutes the warning of the same service only")
    func inhibition() async throws {
        let rule = try InhibitRule(sourceMatchers: [try LabelMatcher(parsing: "severity=critical")],
                                   targetMatchers: [try LabelMatcher(parsing: "severity=warning")], equal: ["service"])
        let route = RouteSpec(receiver: "oncall", groupBy: ["alertname", "service", "severity"], groupWait: .zero)
        let fixture = try Fixture(route: route, receivers: [Fixture.receiver("oncall")], inhibitRules: [rule])
        try await fixture.fire(["alertname": "Down", "service": "checkout", "severity": "critical"])
        try await fixture.fire(["alertname": "Slow", "service": "checkout", "severity": "warning"])
        try await fixture.fire(["alertname": "Slow", "service": "cart", "severity": "warning"])
        await fixture.flush()
        let sent = try await fixture.outbox().map(\.notification.groupKey).sorted()
        #expect(sent == [
            #"{}:{alertname="Down", service="checkout", severity="critical"}"#,
            #"{}:{alertname="Slow", service="cart", severity="warning"}"#,
        ])
    }

    @Test("alertmanager-api receivers re-send firing alerts every minute, with endsAt four minutes ahead")
    func alertmanagerResend() async throws {
        let route = RouteSpec(receiver: "am", groupWait: .zero, groupInterval: .seconds(300), repeatInterval: .seconds(4 * 3600))
        let fixture = try Fixture(route: route, receivers: [Fixture.receiver("am", format: .alertmanagerAPI)])
        try await fixture.fire(Self.latency("a"))
        await fixture.flush()
        fixture.advance(by: .seconds(60))
        await fixture.flush()
        let outbox = try await fixture.outbox()
        try #require(outbox.count == 2)
        #expect(outbox[1].notification.urlPath == "/api/v2/alerts")
        let alerts = try #require(try JSONSerialization.jsonObject(with: Data(outbox[1].notification.body)) as? [[String: Any]])
        #expect(alerts.first?["endsAt"] as? String == AlertmanagerTime.format(fixture.clock.now().adding(nanoseconds: 240_000_000_000)))
    }

    @Test("the outbox hands out one entry per group at a time, oldest first: a resolution never overtakes its firing")
    func orderWithinGroup() async throws {
        let route = RouteSpec(receiver: "oncall", groupWait: .zero, groupInterval: .seconds(60))
        let fixture = try Fixture(route: route, receivers: [Fixture.receiver("oncall")])
        try await fixture.fire(Self.latency("a"))
        try await fixture.fire(Self.latency("x", service: "cart"))
        await fixture.flush()
        try await fixture.resolve(Self.latency("a"))
        fixture.advance(by: .seconds(60))
        await fixture.flush()
        let outbox = try await fixture.outbox()
        try #require(outbox.count == 3)
        let now = fixture.clock.now()
        let first = try await fixture.store.deliverable(receiver: "oncall", at: now, excluding: [], limit: 10)
        #expect(first.map(\.id) == [outbox[0].id, outbox[1].id])
        try await fixture.store.record(attemptOn: outbox[0].id, at: now,
                                       outcome: .retry(statusCode: 503, error: "HTTP 503", nextAttemptAt: now.adding(nanoseconds: 1)))
        // The firing entry is retrying: its group's resolution still waits behind it.
        let second = try await fixture.store.deliverable(receiver: "oncall", at: now.adding(nanoseconds: 1), excluding: [outbox[1].id], limit: 10)
        #expect(second.map(\.id) == [outbox[0].id])
        try await fixture.store.record(attemptOn: outbox[0].id, at: now, outcome: .delivered(statusCode: 200))
        let third = try await fixture.store.deliverable(receiver: "oncall", at: now, excluding: [outbox[1].id], limit: 10)
        #expect(third.map(\.id) == [outbox[2].id])
        #expect(third.first?.notification.notificationStatus == "resolved")
    }

    @Test("alerts firing at start-up that no group holds (a receiver added since) are announced once; adopting again changes nothing")
    func adoptAtStartup() async throws {
        let route = RouteSpec(receiver: "oncall", groupWait: .zero)
        let fixture = try Fixture(route: route, receivers: [Fixture.receiver("oncall")])
        let labels = Self.latency("a")
        let firing = Alert(group: "shop", labels: labels, state: .firing, activeAt: Fixture.start, firedAt: Fixture.start, value: 3)
        let pending = Alert(group: "shop", labels: Self.latency("b"), state: .pending, activeAt: Fixture.start)
        try await fixture.notifier.adopt([firing, pending])
        await fixture.flush()
        let outbox = try await fixture.outbox()
        try #require(outbox.count == 1)
        #expect(try Fixture.alertStatuses(outbox[0]) == ["a": "firing"])
        try await fixture.notifier.adopt([firing])
        fixture.advance(by: .seconds(60))
        await fixture.flush()
        #expect(try await fixture.outbox().count == 1)
    }
}
