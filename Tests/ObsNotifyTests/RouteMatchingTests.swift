import Testing
@testable import ObsNotify

struct RouteMatchingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let labels: [String: String]
        let receivers: [String]
        let keys: [String]
        var testDescription: String { LabelSetText.render(labels) }
    }

    static let pagerKey = "{}/{service=\"checkout\"}/{severity=~\"page|critical\"}"

    @Test(arguments: [
        Case(labels: RoutingFixture.payAlert, receivers: ["audit", "pager"], keys: ["{}/{severity=\"page\"}", pagerKey]),
        Case(labels: ["alertname": "HighErrorRate", "service": "checkout", "severity": "warning"],
             receivers: ["checkout-team"], keys: ["{}/{service=\"checkout\"}"]),
        Case(labels: ["alertname": "X", "service": "checkout", "severity": "critical"], receivers: ["pager"], keys: [pagerKey]),
        Case(labels: ["alertname": "X", "service": "checkout", "severity": "pagecritical"],
             receivers: ["checkout-team"], keys: ["{}/{service=\"checkout\"}"]),
        Case(labels: ["alertname": "X", "service": "cart", "severity": "page"], receivers: ["audit", "cart-team"],
             keys: ["{}/{severity=\"page\"}", "{}/{service=~\"cart|payment\"}"]),
        Case(labels: ["alertname": "X", "service": "payment"], receivers: ["cart-team"], keys: ["{}/{service=~\"cart|payment\"}"]),
        // A `continue` route that matched is a match, so the root is not added as a fallback.
        Case(labels: ["alertname": "X", "service": "search", "severity": "page"], receivers: ["audit"], keys: ["{}/{severity=\"page\"}"]),
        Case(labels: ["alertname": "X", "service": "search"], receivers: ["default"], keys: ["{}"]),
        Case(labels: ["service": "cartography"], receivers: ["default"], keys: ["{}"]),
        Case(labels: [:], receivers: ["default"], keys: ["{}"]),
    ])
    func routesAlertsToReceivers(_ test: Case) throws {
        let matched = try RoutingFixture.tree().match(test.labels)
        #expect(matched.map(\.receiver) == test.receivers)
        #expect(matched.map(\.key) == test.keys)
    }

    @Test func matchingChildWithoutContinueHidesLaterSiblings() throws {
        let tree = try Route(root: RouteSpec(receiver: "default", routes: [
            RouteSpec(receiver: "checkout-team", matchers: [try RoutingFixture.matcher("service=checkout")]),
            RouteSpec(receiver: "audit", matchers: [try RoutingFixture.matcher("severity=page")], continueMatching: true),
            RouteSpec(receiver: "last", matchers: [try RoutingFixture.matcher("severity=page")]),
        ]))
        #expect(tree.match(["service": "checkout", "severity": "page"]).map(\.receiver) == ["checkout-team"])
        #expect(tree.match(["service": "cart", "severity": "page"]).map(\.receiver) == ["audit", "last"])
    }

    @Test func childrenInheritUnsetSettings() throws {
        let tree = try RoutingFixture.tree()
        let audit = tree.routes[0], checkout = tree.routes[1], pager = tree.routes[1].routes[0], cart = tree.routes[2]

        #expect(tree.grouping == .labels(["alertname", "service"]))
        #expect(tree.groupWait == .seconds(5))
        #expect(tree.groupInterval == .seconds(60))
        #expect(tree.repeatInterval == .seconds(4 * 3600))

        #expect(audit.grouping == tree.grouping)
        #expect(audit.groupWait == .seconds(5))

        #expect(checkout.grouping == .labels(["alertname", "route"]))
        #expect(checkout.groupWait == .seconds(10))
        #expect(checkout.groupInterval == .seconds(60))

        #expect(pager.receiver == "pager")
        #expect(pager.grouping == .labels(["alertname", "route"]))
        #expect(pager.groupWait == .seconds(10))
        #expect(pager.groupInterval == .seconds(60))
        #expect(pager.repeatInterval == .seconds(3600))

        #expect(cart.grouping == .all)
        #expect(cart.groupInterval == .seconds(120))
        #expect(cart.repeatInterval == .seconds(4 * 3600))
    }

    @Test func receiverIsInheritedWhenUnsetOrEmpty() throws {
        let tree = try Route(root: RouteSpec(receiver: "default", routes: [
            RouteSpec(matchers: [try RoutingFixture.matcher("a=1")], routes: [RouteSpec(receiver: "", matchers: [try RoutingFixture.matcher("b=2")])]),
        ]))
        #expect(tree.match(["a": "1", "b": "2"]).map(\.receiver) == ["default"])
    }

    @Test func groupByAllIsInheritedAndCanBeNarrowedAgain() throws {
        let tree = try Route(root: RouteSpec(receiver: "default", groupBy: ["..."], routes: [
            RouteSpec(matchers: [try RoutingFixture.matcher("a=1")]),
            RouteSpec(groupBy: ["alertname"], matchers: [try RoutingFixture.matcher("a=2")]),
            RouteSpec(groupBy: [], matchers: [try RoutingFixture.matcher("a=3")]),
        ]))
        #expect(tree.grouping == .all)
        #expect(tree.routes.map(\.grouping) == [.all, .labels(["alertname"]), .labels([])])
    }

    @Test func keysAndIDsFollowAlertmanager() throws {
        let tree = try RoutingFixture.tree()
        #expect(tree.walk().map(\.key) == [
            "{}", "{}/{severity=\"page\"}", "{}/{service=\"checkout\"}", Self.pagerKey, "{}/{service=~\"cart|payment\"}",
        ])
        #expect(tree.walk().map(\.id) == [
            "{}", "{}/{severity=\"page\"}/0", "{}/{service=\"checkout\"}/1", Self.pagerKey + "/0", "{}/{service=~\"cart|payment\"}/2",
        ])
    }

    @Test func siblingsWithEqualMatchersShareKeyButNotID() throws {
        let tree = try Route(root: RouteSpec(receiver: "default", routes: [
            RouteSpec(receiver: "first", matchers: [try RoutingFixture.matcher("service=checkout")], continueMatching: true),
            RouteSpec(receiver: "second", matchers: [try RoutingFixture.matcher("service=checkout")]),
        ]))
        let matched = tree.match(["service": "checkout"])
        #expect(matched.map(\.receiver) == ["first", "second"])
        #expect(matched[0].key == matched[1].key)
        #expect(matched.map(\.id) == ["{}/{service=\"checkout\"}/0", "{}/{service=\"checkout\"}/1"])
    }

    @Test func keySortsMatchersAndJoinsThemWithABareComma() throws {
        let written = [try RoutingFixture.matcher("severity=page"), try RoutingFixture.matcher("env=~prod.*"), try RoutingFixture.matcher("env!=prod-eu")]
        let tree = try Route(root: RouteSpec(receiver: "default", routes: [RouteSpec(matchers: written)]))
        let child = tree.routes[0]
        #expect(child.key == "{}/{env!=\"prod-eu\",env=~\"prod.*\",severity=\"page\"}")
        #expect(child.matchers.map(\.description) == ["env!=\"prod-eu\"", "env=~\"prod.*\"", "severity=\"page\""])
        let reordered = try Route(root: RouteSpec(receiver: "default", routes: [RouteSpec(matchers: written.reversed())]))
        #expect(reordered.routes[0].key == child.key)
    }

    @Test func walkAndReceiversCoverTheTree() throws {
        let tree = try RoutingFixture.tree()
        #expect(tree.walk().map(\.receiver) == ["default", "audit", "checkout-team", "pager", "cart-team"])
        #expect(tree.receivers == ["default", "audit", "checkout-team", "pager", "cart-team"])
        #expect(try Route(root: RouteSpec(receiver: "only")).receivers == ["only"])
    }
}
