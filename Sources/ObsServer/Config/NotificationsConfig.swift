import Foundation
import ObsCore
import ObsNotify
import Yams

/// `receivers`, `route` and `inhibit_rules`: who is told about which alert, as in
/// Alertmanager. Without receivers, nothing is sent (silences still work and show in the
/// alerts API). With one receiver and no `route`, everything goes to it.
///
/// | key | default |
/// |---|---|
/// | `receivers[].name`, `.url`, `.format` | required (`url` defaults to PagerDuty's Events API for `pagerduty`) |
/// | `receivers[].secret_env` | unset: unsigned |
/// | `receivers[].routing_key_env` | required for `pagerduty` |
/// | `receivers[].headers` | none |
/// | `receivers[].timeout` | `10s` |
/// | `receivers[].send_resolved` | `true` |
/// | `receivers[].max_delivery_time` | `24h` |
/// | `receivers[].max_in_flight` | `4` |
/// | `receivers[].backoff` | `{initial: 1s, max: 5m}` |
/// | `route.receiver`, `.group_by`, `.group_wait`, `.group_interval`, `.repeat_interval` | `[alertname, service]`, `5s`, `1m`, `4h` |
/// | `route.routes[]` | `matchers`, `continue` and the keys above, inherited |
/// | `inhibit_rules[]` | `source_matchers`, `target_matchers`, `equal` |
public struct NotificationsConfig: Sendable, Equatable {
    public static let pagerDutyEventsURL = "https://events.pagerduty.com/v2/enqueue"

    public var receivers: [Receiver] = []
    public var route: RouteSpec?
    public var inhibitRules: [InhibitRule] = []

    public init() {}

    /// The route tree, defaulted to the only receiver when there is one and no `route`.
    public func resolvedRoute() throws(RouteError) -> Route? {
        if let route { return try Route(root: route) }
        if receivers.count == 1 { return try Route(root: RouteSpec(receiver: receivers[0].name)) }
        return nil
    }

    mutating func readReceivers(_ node: Node, walker: inout ConfigWalker) {
        walker.sequence(node, path: "receivers") { index, item, walker in
            if let receiver = Self.receiver(item, path: "receivers[\(index)]", walker: &walker) { receivers.append(receiver) }
        }
    }

    mutating func readRoute(_ node: Node, walker: inout ConfigWalker) {
        route = Self.route(node, path: "route", walker: &walker)
    }

    mutating func readInhibitRules(_ node: Node, walker: inout ConfigWalker) {
        walker.sequence(node, path: "inhibit_rules") { index, item, walker in
            let path = "inhibit_rules[\(index)]"
            var source: [LabelMatcher] = []
            var target: [LabelMatcher] = []
            var equal: [String] = []
            walker.mapping(item, path: path) { key, value, walker in
                switch key {
                case "source_matchers": source = Self.matchers(value, path: "\(path).source_matchers", walker: &walker)
                case "target_matchers": target = Self.matchers(value, path: "\(path).target_matchers", walker: &walker)
                case "equal": walker.strings(value, path: "\(path).equal") { equal = $0 }
                default: walker.unknown(value, path: "\(path).\(key)")
                }
            }
            do {
                inhibitRules.append(try InhibitRule(sourceMatchers: source, targetMatchers: target, equal: equal))
            } catch {
                walker.problem(item, path, "\(error)")
            }
        }
    }

    func validate() -> [ConfigError.Problem] {
        var problems: [ConfigError.Problem] = []
        var names: Set<String> = []
        for receiver in receivers where !names.insert(receiver.name).inserted {
            problems.append(.init(location: "", key: "receivers", reason: "receiver \"\(receiver.name)\" is defined twice"))
        }
        do {
            if let route = try resolvedRoute() {
                for name in route.receivers.sorted() where !names.contains(name) {
                    problems.append(.init(location: "", key: "route", reason: "receiver \"\(name)\" is not defined in receivers"))
                }
            } else if receivers.count > 1 {
                problems.append(.init(location: "", key: "route", reason: "is required with more than one receiver"))
            }
        } catch {
            problems.append(.init(location: "", key: "route", reason: "\(error)"))
        }
        return problems
    }

    private static func receiver(_ node: Node, path: String, walker: inout ConfigWalker) -> Receiver? {
        var name: String?
        var url: String?
        var format: ReceiverFormat?
        var formatGiven = false
        var receiver = Receiver(name: "", url: URL(fileURLWithPath: "/"), format: .json)
        let before = walker.problems.count
        walker.mapping(node, path: path) { key, value, walker in
            let keyPath = "\(path).\(key)"
            switch key {
            case "name": walker.string(value, path: keyPath) { name = $0 }
            case "url": walker.string(value, path: keyPath) { url = $0 }
            case "format":
                formatGiven = true
                walker.choice(value, path: keyPath, among: ReceiverFormat.allCases.map(\.rawValue)) { format = ReceiverFormat(rawValue: $0) }
            case "secret_env": walker.string(value, path: keyPath) { receiver.secretEnv = $0 }
            case "routing_key_env": walker.string(value, path: keyPath) { receiver.routingKeyEnv = $0 }
            case "headers":
                walker.mapping(value, path: keyPath) { header, headerValue, walker in
                    walker.string(headerValue, path: "\(keyPath).\(header)") { receiver.headers[header] = $0 }
                }
            case "timeout": walker.positiveDuration(value, path: keyPath) { receiver.timeout = $0 }
            case "send_resolved": walker.boolean(value, path: keyPath) { receiver.sendResolved = $0 }
            case "max_delivery_time": walker.positiveDuration(value, path: keyPath) { receiver.maxDeliveryTime = $0 }
            case "max_in_flight":
                var count: Int?
                walker.integer(value, path: keyPath) { count = $0 }
                if let count {
                    if count >= 1 { receiver.maxInFlight = count } else { walker.problem(value, keyPath, "must be at least 1") }
                }
            case "backoff":
                walker.mapping(value, path: keyPath) { part, partValue, walker in
                    switch part {
                    case "initial": walker.positiveDuration(partValue, path: "\(keyPath).initial") { receiver.retry.initialBackoff = $0 }
                    case "max": walker.positiveDuration(partValue, path: "\(keyPath).max") { receiver.retry.maxBackoff = $0 }
                    default: walker.unknown(partValue, path: "\(keyPath).\(part)")
                    }
                }
            default: walker.unknown(value, path: keyPath)
            }
        }
        if name?.isEmpty ?? true {
            walker.problem(node, "\(path).name", "is required")
        }
        if !formatGiven {
            walker.problem(node, "\(path).format", "is required (one of \(ReceiverFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var parsed: URL?
        if let address = url ?? (format == .pagerduty ? pagerDutyEventsURL : nil) {
            if let candidate = URL(string: address), candidate.scheme == "http" || candidate.scheme == "https",
               candidate.host?.isEmpty == false {
                parsed = candidate
            } else {
                walker.problem(node, "\(path).url", "\"\(address)\" is not an http(s) URL")
            }
        } else if format != nil {
            walker.problem(node, "\(path).url", "is required")
        }
        if format == .pagerduty, receiver.routingKeyEnv == nil {
            walker.problem(node, "\(path).routing_key_env", "is required for format pagerduty")
        }
        if receiver.retry.maxBackoff < receiver.retry.initialBackoff {
            walker.problem(node, "\(path).backoff", "max must not be below initial")
        }
        guard walker.problems.count == before, let name, let format, let parsed else { return nil }
        receiver.name = name
        receiver.url = parsed
        receiver.format = format
        return receiver
    }

    private static func route(_ node: Node, path: String, walker: inout ConfigWalker) -> RouteSpec {
        var spec = RouteSpec()
        walker.mapping(node, path: path) { key, value, walker in
            let keyPath = "\(path).\(key)"
            switch key {
            case "receiver": walker.string(value, path: keyPath) { spec.receiver = $0 }
            case "group_by": walker.strings(value, path: keyPath) { spec.groupBy = $0 }
            case "group_wait": walker.duration(value, path: keyPath) { spec.groupWait = $0 }
            case "group_interval": walker.positiveDuration(value, path: keyPath) { spec.groupInterval = $0 }
            case "repeat_interval": walker.positiveDuration(value, path: keyPath) { spec.repeatInterval = $0 }
            case "matchers": spec.matchers = matchers(value, path: keyPath, walker: &walker)
            case "continue": walker.boolean(value, path: keyPath) { spec.continueMatching = $0 }
            case "routes":
                walker.sequence(value, path: keyPath) { index, child, walker in
                    spec.routes.append(route(child, path: "\(keyPath)[\(index)]", walker: &walker))
                }
            default: walker.unknown(value, path: keyPath)
            }
        }
        return spec
    }

    private static func matchers(_ node: Node, path: String, walker: inout ConfigWalker) -> [LabelMatcher] {
        var matchers: [LabelMatcher] = []
        walker.sequence(node, path: path) { index, item, walker in
            guard let text = walker.scalar(item, path: "\(path)[\(index)]") else { return }
            do {
                matchers.append(try LabelMatcher(parsing: text))
            } catch {
                walker.problem(item, "\(path)[\(index)]", "\(error)")
            }
        }
        return matchers
    }
}

extension ConfigWalker {
    mutating func sequence(_ node: Node, path: String, _ each: (Int, Node, inout ConfigWalker) -> Void) {
        guard let sequence = node.sequence else {
            if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" { return }
            problem(node, path, "expected a list")
            return
        }
        for (index, item) in sequence.enumerated() { each(index, item, &self) }
    }

    mutating func strings(_ node: Node, path: String, _ set: ([String]) -> Void) {
        var values: [String] = []
        let before = problems.count
        sequence(node, path: path) { index, item, walker in
            if let text = walker.scalar(item, path: "\(path)[\(index)]") { values.append(text) }
        }
        if problems.count == before { set(values) }
    }

    mutating func positiveDuration(_ node: Node, path: String, _ set: (Duration) -> Void) {
        var parsed: Duration?
        duration(node, path: path) { parsed = $0 }
        guard let parsed else { return }
        if parsed > .zero { set(parsed) } else { problem(node, path, "must be longer than 0s") }
    }
}
