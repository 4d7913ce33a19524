import Testing
@testable import ObsNotify

struct RouteValidationTests {
    static func error(_ spec: RouteSpec) -> RouteError? {
        do {
            _ = try Route(root: spec)
            return nil
        } catch {
            return error
        }
    }

    static func checkout() throws -> [LabelMatcher] { [try RoutingFixture.matcher("service=\"checkout\"")] }

    @Test(arguments: try [
        (RouteSpec(), RouteError.missingRootReceiver),
        (RouteSpec(receiver: ""), .missingRootReceiver),
        (RouteSpec(receiver: "default", matchers: try checkout()), .rootHasMatchers(matchers: "{service=\"checkout\"}")),
        (RouteSpec(receiver: "default", continueMatching: true), .rootHasContinue),
        (RouteSpec(receiver: "default", repeatInterval: .zero),
         .nonPositiveInterval(route: "{}", field: "repeat_interval", value: .zero)),
        (RouteSpec(receiver: "default", routes: [RouteSpec(groupInterval: .zero, matchers: try checkout())]),
         .nonPositiveInterval(route: "{}/{service=\"checkout\"}", field: "group_interval", value: .zero)),
        (RouteSpec(receiver: "default", routes: [RouteSpec(repeatInterval: .seconds(-1), matchers: try checkout())]),
         .nonPositiveInterval(route: "{}/{service=\"checkout\"}", field: "repeat_interval", value: .seconds(-1))),
        (RouteSpec(receiver: "default", routes: [RouteSpec(matchers: try checkout(), routes: [
            RouteSpec(groupWait: .seconds(-5), matchers: [try RoutingFixture.matcher("severity=page")]),
        ])]), .negativeGroupWait(route: "{}/{service=\"checkout\"}/{severity=\"page\"}", value: .seconds(-5))),
        (RouteSpec(receiver: "default", groupBy: ["...", "alertname"]), .wildcardWithOtherLabels(route: "{}", labels: ["...", "alertname"])),
        (RouteSpec(receiver: "default", routes: [RouteSpec(groupBy: ["bad-label"], matchers: try checkout())]),
         .invalidGroupByLabel(route: "{}/{service=\"checkout\"}", name: "bad-label")),
    ])
    func rejectsInvalidTrees(spec: RouteSpec, expected: RouteError) {
        #expect(Self.error(spec) == expected)
    }

    @Test(arguments: [
        (RouteError.missingRootReceiver, "route {}: the root route needs a receiver; it receives every alert no child route takes"),
        (.rootHasMatchers(matchers: "{a=\"1\"}"), "route {}: the root route must not have matchers (got {a=\"1\"}); it has to match every alert"),
        (.nonPositiveInterval(route: "{}/{service=\"checkout\"}", field: "group_interval", value: .zero),
         "route {}/{service=\"checkout\"}: group_interval must be greater than zero, got 0ms"),
        (.negativeGroupWait(route: "{}", value: .seconds(-5)), "route {}: group_wait must not be negative, got -5s"),
    ])
    func errorDescriptionsNameTheRoute(error: RouteError, expected: String) {
        #expect(error.description == expected)
    }

    @Test func zeroGroupWaitIsAllowed() throws {
        let tree = try Route(root: RouteSpec(receiver: "default", groupWait: .zero))
        #expect(tree.groupWait == .zero)
    }
}
