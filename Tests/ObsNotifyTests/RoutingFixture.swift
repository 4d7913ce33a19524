@testable import ObsNotify

/// The routing tree the routing tests share:
///
///     receiver: default
///     routes:
///       - matchers: [severity="page"]              # audit copy of every page
///         receiver: audit
///         continue: true
///       - matchers: [service="checkout"]
///         receiver: checkout-team
///         group_by: [alertname, route, alertname]
///         group_wait: 10s
///         routes:
///           - matchers: [severity=~"page|critical"]
///             receiver: pager
///             repeat_interval: 1h
///       - matchers: [service=~"cart|payment"]
///         receiver: cart-team
///         group_by: ['...']
///         group_interval: 2m
enum RoutingFixture {
    static func matcher(_ text: String) throws -> LabelMatcher {
        try LabelMatcher(parsing: text)
    }

    static func spec() throws -> RouteSpec {
        RouteSpec(receiver: "default", routes: [
            RouteSpec(receiver: "audit", matchers: [try matcher("severity=\"page\"")], continueMatching: true),
            RouteSpec(receiver: "checkout-team", groupBy: ["alertname", "route", "alertname"], groupWait: .seconds(10),
                      matchers: [try matcher("service=\"checkout\"")], routes: [
                          RouteSpec(receiver: "pager", repeatInterval: .seconds(3600),
                                    matchers: [try matcher("severity=~\"page|critical\"")]),
                      ]),
            RouteSpec(receiver: "cart-team", groupBy: ["..."], groupInterval: .seconds(120),
                      matchers: [try matcher("service=~\"cart|payment\"")]),
        ])
    }

    static func tree() throws -> Route {
        try Route(root: spec())
    }

    static let payAlert = ["alertname": "HighErrorRate", "route": "/api/pay", "service": "checkout", "severity": "page"]
}
