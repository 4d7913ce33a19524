import ObsStorage

/// The series a selector can name, what it measures, and the labels it can match on.
enum QueryMetric: String, CaseIterable {
    /// Request latency in milliseconds; needs a function (p95, avg, …).
    case latency
    /// Requests in the range.
    case requests
    /// Failed requests in the range.
    case errors
    /// errors ÷ requests in the range, a ratio.
    case errorRate = "error_rate"
    /// Log lines in the range.
    case logs

    static let names = allCases.map(\.rawValue).joined(separator: ", ")

    var labels: [String] {
        self == .logs ? ["service", "level"] : ["service", "route", "method"]
    }

    /// Request metrics read the per-service series when only `service` is matched or kept:
    /// one row per bucket instead of one per route.
    func kind(matchers: [LabelMatcher], grouping: [String]?) -> RollupSeriesKey.Kind {
        if self == .logs { return .logs }
        let serviceOnly = matchers.allSatisfy { $0.label == "service" } && (grouping ?? []).allSatisfy { $0 == "service" }
        return serviceOnly ? .serviceRequests : .requests
    }
}
