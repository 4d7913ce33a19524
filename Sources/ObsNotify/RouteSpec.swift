/// One node of the routing tree as configuration describes it. Unset (`nil`) fields inherit from
/// the parent route when the tree is resolved into `Route`s.
public struct RouteSpec: Sendable, Equatable {
    public var receiver: String?
    public var groupBy: [String]?
    public var groupWait: Duration?
    public var groupInterval: Duration?
    public var repeatInterval: Duration?
    public var matchers: [LabelMatcher]
    /// YAML `continue`: after this route matched, keep trying its later siblings.
    public var continueMatching: Bool
    public var routes: [RouteSpec]

    public init(receiver: String? = nil, groupBy: [String]? = nil, groupWait: Duration? = nil,
                groupInterval: Duration? = nil, repeatInterval: Duration? = nil, matchers: [LabelMatcher] = [],
                continueMatching: Bool = false, routes: [RouteSpec] = []) {
        self.receiver = receiver
        self.groupBy = groupBy
        self.groupWait = groupWait
        self.groupInterval = groupInterval
        self.repeatInterval = repeatInterval
        self.matchers = matchers
        self.continueMatching = continueMatching
        self.routes = routes
    }
}
