import ObsCore

/// What a query evaluates to, in Prometheus' terms: a `scalar`, a `vector` (one value per
/// series at one instant) or a `matrix` (values per series over a range of instants).
public struct QueryResult: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case scalar, vector, matrix
    }

    public var kind: Kind
    /// For a scalar: one series without labels.
    public var series: [QuerySeries]

    public init(kind: Kind, series: [QuerySeries]) {
        self.kind = kind
        self.series = series
    }
}

/// One result series: its labels and its points in time order. Latency values are
/// milliseconds, rates per second, error rates ratios.
public struct QuerySeries: Sendable, Equatable {
    public var labels: [String: String]
    public var points: [QueryPoint]

    public init(labels: [String: String], points: [QueryPoint]) {
        self.labels = labels
        self.points = points
    }

    /// `{route="/cart", service="checkout"}`, labels sorted by name.
    public var labelText: String {
        "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ", ") + "}"
    }
}

public struct QueryPoint: Sendable, Equatable {
    public var time: Timestamp
    public var value: Double

    public init(time: Timestamp, value: Double) {
        self.time = time
        self.value = value
    }
}
