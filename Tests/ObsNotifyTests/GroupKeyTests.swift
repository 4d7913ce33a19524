import Testing
@testable import ObsNotify

struct GroupKeyTests {
    @Test func rootGroupKeyMatchesAlertmanagerWebhook() throws {
        let root = try Route(root: RouteSpec(receiver: "default"))
        #expect(root.groupLabels(for: RoutingFixture.payAlert) == ["alertname": "HighErrorRate", "service": "checkout"])
        #expect(root.groupKey(for: RoutingFixture.payAlert) == "{}:{alertname=\"HighErrorRate\", service=\"checkout\"}")
    }

    @Test func childGroupKeyStartsWithChildRouteKey() throws {
        let tree = try Route(root: RouteSpec(receiver: "default", routes: [
            RouteSpec(receiver: "checkout-team", matchers: [try RoutingFixture.matcher("service=\"checkout\"")]),
        ]))
        let alert = ["alertname": "X", "service": "checkout", "severity": "page"]
        let routes = tree.match(alert)
        #expect(routes.map { $0.groupKey(for: alert) } == ["{}/{service=\"checkout\"}:{alertname=\"X\", service=\"checkout\"}"])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let labels: [String: String]
        let groupLabels: [[String: String]]
        let groupKeys: [String]
        var testDescription: String { LabelSetText.render(labels) }
    }

    @Test(arguments: [
        Case(labels: RoutingFixture.payAlert,
             groupLabels: [["alertname": "HighErrorRate", "service": "checkout"], ["alertname": "HighErrorRate", "route": "/api/pay"]],
             groupKeys: ["{}/{severity=\"page\"}:{alertname=\"HighErrorRate\", service=\"checkout\"}",
                         "{}/{service=\"checkout\"}/{severity=~\"page|critical\"}:{alertname=\"HighErrorRate\", route=\"/api/pay\"}"]),
        Case(labels: ["alertname": "X", "service": "checkout"], groupLabels: [["alertname": "X"]],
             groupKeys: ["{}/{service=\"checkout\"}:{alertname=\"X\"}"]),
        Case(labels: ["alertname": "X", "service": "payment", "zone": "eu-1"],
             groupLabels: [["alertname": "X", "service": "payment", "zone": "eu-1"]],
             groupKeys: ["{}/{service=~\"cart|payment\"}:{alertname=\"X\", service=\"payment\", zone=\"eu-1\"}"]),
        Case(labels: ["alertname": "X", "host": "a"], groupLabels: [["alertname": "X"]], groupKeys: ["{}:{alertname=\"X\"}"]),
        Case(labels: ["host": "a"], groupLabels: [[:]], groupKeys: ["{}:{}"]),
    ])
    func groupsByTheMatchedRoutesLabels(_ test: Case) throws {
        let routes = try RoutingFixture.tree().match(test.labels)
        #expect(routes.map { $0.groupLabels(for: test.labels) } == test.groupLabels)
        #expect(routes.map { $0.groupKey(for: test.labels) } == test.groupKeys)
    }

    @Test func emptyGroupByPutsEveryAlertInOneGroup() throws {
        let root = try Route(root: RouteSpec(receiver: "default", groupBy: []))
        #expect(root.groupKey(for: RoutingFixture.payAlert) == "{}:{}")
    }

    @Test func labelValuesAreQuotedLikeGo() throws {
        let root = try Route(root: RouteSpec(receiver: "default", groupBy: ["..."]))
        let alert = ["alertname": "say \"hi\"", "b": "C:\\tmp", "c": "naïve\tline\n", "d": "\u{1}"]
        #expect(root.groupKey(for: alert)
            == "{}:{alertname=\"say \\\"hi\\\"\", b=\"C:\\\\tmp\", c=\"naïve\\tline\\n\", d=\"\\x01\"}")
    }
}
