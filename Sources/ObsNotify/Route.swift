/// A resolved node of the routing tree: every setting inherited and validated, matchers sorted,
/// keys computed. Routing, grouping and key rules follow Alertmanager's `dispatch.Route`.
public struct Route: Sendable {
    public let receiver: String
    public let grouping: Grouping
    public let groupWait: Duration
    public let groupInterval: Duration
    public let repeatInterval: Duration
    /// Sorted by name, value, operator, as Alertmanager sorts them; the key depends on it.
    public let matchers: [LabelMatcher]
    public let continueMatching: Bool
    public let routes: [Route]
    /// Alertmanager's `Route.Key()`: `{}` for the root, otherwise the parent's key, `/` and the
    /// route's matcher set, e.g. `{}/{service="checkout"}`. Group keys start with it. Two siblings
    /// with the same matchers share a key; use `id` to tell routes apart.
    public let key: String
    /// Alertmanager's `Route.ID()`: the key plus `/` and the route's position among its parent's
    /// children (`{}/{service="checkout"}/1`); the root's id is its key. Like Alertmanager, only
    /// the last step carries a position, so it separates same-matcher siblings but two such
    /// siblings' children with equal matchers at equal positions would still share an id.
    public let id: String

    public static let defaultGroupBy = ["alertname", "service"]
    public static let defaultGroupWait = Duration.seconds(5)
    public static let defaultGroupInterval = Duration.seconds(60)
    public static let defaultRepeatInterval = Duration.seconds(4 * 3600)

    /// Settings a child takes from its parent when its spec leaves them unset.
    private struct Inherited {
        var receiver: String
        var grouping: Grouping
        var groupWait: Duration
        var groupInterval: Duration
        var repeatInterval: Duration
    }

    /// Resolves a whole tree. The root must name a receiver and, as Alertmanager requires, may
    /// have neither matchers nor `continue`; unset root settings take the defaults above.
    public init(root spec: RouteSpec) throws(RouteError) {
        guard let receiver = spec.receiver, !receiver.isEmpty else { throw .missingRootReceiver }
        guard spec.matchers.isEmpty else { throw .rootHasMatchers(matchers: spec.matchers.setString) }
        guard !spec.continueMatching else { throw .rootHasContinue }
        let defaults = Inherited(receiver: receiver, grouping: .labels(Self.defaultGroupBy.sorted()),
                                 groupWait: Self.defaultGroupWait, groupInterval: Self.defaultGroupInterval,
                                 repeatInterval: Self.defaultRepeatInterval)
        try self.init(spec: spec, inheriting: defaults, parentKey: nil, position: nil)
    }

    private init(spec: RouteSpec, inheriting parent: Inherited, parentKey: String?, position: Int?) throws(RouteError) {
        let matchers = spec.matchers.sortedAsAlertmanager()
        let key = (parentKey.map { $0 + "/" } ?? "") + matchers.setString
        var settings = parent
        // An empty receiver counts as unset, as in Alertmanager.
        if let receiver = spec.receiver, !receiver.isEmpty { settings.receiver = receiver }
        if let groupBy = spec.groupBy { settings.grouping = try Self.grouping(groupBy, route: key) }
        if let wait = spec.groupWait {
            guard wait >= .zero else { throw .negativeGroupWait(route: key, value: wait) }
            settings.groupWait = wait
        }
        if let interval = spec.groupInterval {
            guard interval > .zero else { throw .nonPositiveInterval(route: key, field: "group_interval", value: interval) }
            settings.groupInterval = interval
        }
        if let interval = spec.repeatInterval {
            guard interval > .zero else { throw .nonPositiveInterval(route: key, field: "repeat_interval", value: interval) }
            settings.repeatInterval = interval
        }

        var children: [Route] = []
        children.reserveCapacity(spec.routes.count)
        for (index, child) in spec.routes.enumerated() {
            children.append(try Route(spec: child, inheriting: settings, parentKey: key, position: index))
        }

        self.receiver = settings.receiver
        self.grouping = settings.grouping
        self.groupWait = settings.groupWait
        self.groupInterval = settings.groupInterval
        self.repeatInterval = settings.repeatInterval
        self.matchers = matchers
        self.continueMatching = spec.continueMatching
        self.routes = children
        self.key = key
        self.id = position.map { key + "/" + String($0) } ?? key
    }

    private static func grouping(_ groupBy: [String], route: String) throws(RouteError) -> Grouping {
        if groupBy.contains(Grouping.allLabelsMarker) {
            guard groupBy.allSatisfy({ $0 == Grouping.allLabelsMarker }) else {
                throw .wildcardWithOtherLabels(route: route, labels: groupBy)
            }
            return .all
        }
        for name in groupBy where !LabelName.isValid(name) {
            throw .invalidGroupByLabel(route: route, name: name)
        }
        return .labels(Array(Set(groupBy)).sorted())
    }

    /// The routes an alert is dispatched to, in order — Alertmanager's depth-first search: a
    /// route matches when its matchers do; its children are tried in order, and a matching child
    /// without `continue` ends the search among its siblings; a matching route none of whose
    /// children match is itself a result. The root has no matchers, so it always matches.
    public func match(_ labels: [String: String]) -> [Route] {
        guard matchers.matches(labels) else { return [] }
        var found: [Route] = []
        for child in routes {
            let matched = child.match(labels)
            found += matched
            if !matched.isEmpty, !child.continueMatching { break }
        }
        return found.isEmpty ? [self] : found
    }

    /// The `group_by` labels the alert has (Alertmanager leaves out labels the alert lacks
    /// rather than grouping them as empty), or all its labels for `group_by: ['...']`.
    public func groupLabels(for labels: [String: String]) -> [String: String] {
        switch grouping {
        case .all:
            return labels
        case .labels(let names):
            var picked: [String: String] = [:]
            for name in names {
                if let value = labels[name] { picked[name] = value }
            }
            return picked
        }
    }

    /// Alertmanager's aggregation group key, `routeKey:labelSet`, e.g.
    /// `{}:{alertname="HighErrorRate", service="checkout"}`; webhook payloads carry it as
    /// `groupKey` and receivers deduplicate on it.
    public func groupKey(for labels: [String: String]) -> String {
        key + ":" + LabelSetText.render(groupLabels(for: labels))
    }

    /// This route and all below it, depth-first, parents before children.
    public func walk() -> [Route] {
        var all = [self]
        for child in routes { all += child.walk() }
        return all
    }

    /// Every receiver any route names, so configuration can check each one is defined.
    public var receivers: Set<String> {
        Set(walk().map(\.receiver))
    }
}
