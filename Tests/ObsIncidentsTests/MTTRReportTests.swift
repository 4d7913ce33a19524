import ObsCore
import ObsIncidents
import ObsStorage
import Testing

struct MTTRReportTests {
    static let t0 = Timestamp(nanoseconds: 1_800_000_000 * 1_000_000_000)

    static func at(_ seconds: Int64) -> Timestamp { t0.adding(nanoseconds: seconds * 1_000_000_000) }

    /// 20 incidents of one service: incident i (1…20) detected after 10·i s, mitigated after
    /// 60·i s and resolved after 100·i s; the even ones acknowledged 5·i s after the first
    /// notification; a 21st of another service, never acknowledged or resolved.
    static func fixture() -> [IncidentRecord] {
        var incidents = (1...20).map { (i: Int64) -> IncidentRecord in
            let start = at(i * 10_000)
            let notified = start.adding(nanoseconds: (10 * i + 2) * 1_000_000_000)
            return IncidentRecord(
                id: i, groupKey: "service=\"checkout\"", groupLabels: ["service": "checkout"], service: "checkout", title: "t",
                state: "resolved", openedAt: start, startedAt: start, detectedAt: start.adding(nanoseconds: 10 * i * 1_000_000_000),
                acknowledgedAt: i % 2 == 0 ? notified.adding(nanoseconds: 5 * i * 1_000_000_000) : nil,
                firstNotifiedAt: notified, mitigatedAt: start.adding(nanoseconds: 60 * i * 1_000_000_000),
                resolvedAt: start.adding(nanoseconds: 100 * i * 1_000_000_000)
            )
        }
        incidents.append(IncidentRecord(id: 21, groupKey: "service=\"cart\"", groupLabels: ["service": "cart"], service: "cart", title: "t",
                                        state: "open", openedAt: at(0), startedAt: at(0), detectedAt: at(30)))
        return incidents
    }

    @Test func perServiceFiguresMatchTheHandComputedOnes() throws {
        let report = MTTRReport(Self.fixture(), by: .service)
        #expect(report.groups.map(\.key) == ["cart", "checkout"])
        let cart = report.groups[0]
        #expect(cart.count == 1 && cart.detect?.mean == 30 && cart.acknowledge == nil && cart.resolve == nil)
        let checkout = report.groups[1]
        #expect(checkout.count == 20)
        // MTTD 10…200: mean 105, median (100+110)/2, p90 the 18th of 20 = 180.
        #expect(checkout.detect?.mean == 105 && checkout.detect?.median == 105 && checkout.detect?.p90 == 180)
        // MTTA over the 10 acknowledged ones, 10…100: mean 55, median 55, p90 the 9th = 90.
        #expect(checkout.acknowledge?.count == 10)
        #expect(checkout.acknowledge?.mean == 55 && checkout.acknowledge?.median == 55 && checkout.acknowledge?.p90 == 90)
        #expect(checkout.mitigate?.mean == 630 && checkout.mitigate?.p90 == 1080)
        #expect(checkout.resolve?.mean == 1050 && checkout.resolve?.median == 1050 && checkout.resolve?.p90 == 1800)
    }

    @Test func weeksStartOnMondayUTC() throws {
        // 2026-12-02 is a Wednesday; 2026-11-30 a Monday.
        let wednesday = try #require(Timestamp.parseQueryTime("2026-12-02T10:00:00Z", now: Self.t0))
        let monday = try #require(Timestamp.parseQueryTime("2026-11-30T00:00:00Z", now: Self.t0))
        let sunday = try #require(Timestamp.parseQueryTime("2026-11-29T23:59:59Z", now: Self.t0))
        let record = { (time: Timestamp) in
            IncidentRecord(groupKey: "", groupLabels: [:], service: "s", title: "t", state: "open", openedAt: time, startedAt: time,
                           detectedAt: time)
        }
        let report = MTTRReport([record(wednesday), record(monday), record(sunday)], by: .week)
        #expect(report.groups.map(\.key) == ["2026-11-23", "2026-11-30"])
        #expect(report.groups.map(\.count) == [1, 2])
    }
}
