import ObsCore

/// Everything that decides who hears about which alert: the receivers, the route tree and
/// the inhibit rules, checked against each other once at start-up.
public struct NotificationPolicy: Sendable {
    public let receivers: [String: ResolvedReceiver]
    public let route: Route
    public let inhibitor: Inhibitor
    /// obs's own base URL, for `generatorURL` and `externalURL`.
    public let externalURL: String
    let routesByID: [String: Route]

    public init(receivers: [ResolvedReceiver], route: Route, inhibitRules: [InhibitRule], externalURL: String)
        throws(NotifyConfigError) {
        var byName: [String: ResolvedReceiver] = [:]
        var problems: [String] = []
        for receiver in receivers {
            if byName[receiver.name] != nil { problems.append("receivers: \"\(receiver.name)\" is defined twice") }
            byName[receiver.name] = receiver
        }
        for name in route.receivers.sorted() where byName[name] == nil {
            problems.append("route: receiver \"\(name)\" is not defined in receivers")
        }
        guard problems.isEmpty else { throw NotifyConfigError(problems: problems) }
        self.receivers = byName
        self.route = route
        self.inhibitor = Inhibitor(rules: inhibitRules)
        var trimmed = externalURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.externalURL = trimmed
        var routes: [String: Route] = [:]
        for route in route.walk() { routes[route.id] = route }
        routesByID = routes
    }

    /// The route a group was created by; a group whose route left the configuration is
    /// timed by the root's settings.
    func route(id: String) -> Route { routesByID[id] ?? route }
}
