/// The label set of one rollup series. Which labels apply depends on the kind: request
/// series carry service, route and method; per-service request series only the service
/// (the sum of that service's request series, kept so that per-service questions over long
/// windows read 1 row per bucket instead of one per route); log series service and level.
/// Labels that do not apply are empty.
public struct RollupSeriesKey: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Int, Sendable, CaseIterable {
        case requests = 1
        case serviceRequests = 2
        case logs = 3
    }

    public var kind: Kind
    public var service: String
    public var route: String
    public var method: String
    public var level: String

    public init(kind: Kind, service: String, route: String = "", method: String = "", level: String = "") {
        self.kind = kind
        self.service = service
        self.route = route
        self.method = method
        self.level = level
    }

    public static func requests(service: String, route: String, method: String) -> RollupSeriesKey {
        RollupSeriesKey(kind: .requests, service: service, route: route, method: method)
    }

    public static func serviceRequests(service: String) -> RollupSeriesKey {
        RollupSeriesKey(kind: .serviceRequests, service: service)
    }

    public static func logs(service: String, level: String) -> RollupSeriesKey {
        RollupSeriesKey(kind: .logs, service: service, level: level)
    }

    /// The labels as the query language names them, only those that apply to the kind.
    public var labels: [(name: String, value: String)] {
        switch kind {
        case .requests: [("service", service), ("route", route), ("method", method)]
        case .serviceRequests: [("service", service)]
        case .logs: [("service", service), ("level", level)]
        }
    }

    public var description: String {
        "\(kind){" + labels.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ",") + "}"
    }
}
