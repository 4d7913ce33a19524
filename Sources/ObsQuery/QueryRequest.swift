import ObsCore

/// One question to the query layer: an expression and when to evaluate it — an instant, or
/// a range with a step. Parsed from the API's parameters and the CLI's flags alike.
public struct QueryRequest: Sendable, Equatable {
    public enum Evaluation: Sendable, Equatable {
        case instant(Timestamp)
        case range(start: Timestamp, end: Timestamp, step: Duration)
    }

    public var expression: String
    public var evaluation: Evaluation

    public init(expression: String, evaluation: Evaluation) {
        self.expression = expression
        self.evaluation = evaluation
    }

    /// `GET /api/v1/query`: `expr` (or Prometheus' `query`), `time` (default now).
    public static func instant(_ get: (String) -> String?, now: Timestamp) throws(QueryError) -> QueryRequest {
        let expression = try Self.expression(get)
        let time = try Self.time(get, "time", now: now) ?? now
        return QueryRequest(expression: expression, evaluation: .instant(time))
    }

    /// `GET /api/v1/query_range`: `expr`/`query`, `start`, `end` (default now), `step`
    /// (a duration such as `1m`, or seconds; default: about 240 points over the range).
    public static func range(_ get: (String) -> String?, now: Timestamp) throws(QueryError) -> QueryRequest {
        let expression = try Self.expression(get)
        guard let start = try Self.time(get, "start", now: now) else {
            throw QueryError(at: nil, "start: missing (RFC 3339, epoch seconds, or a duration ago such as 1h)")
        }
        let end = try Self.time(get, "end", now: now) ?? now
        let step: Duration
        if let text = get("step"), !text.isEmpty {
            guard let nanoseconds = DurationText.nanoseconds(text, defaultUnit: .seconds), nanoseconds >= 1e9, nanoseconds < 9e18 else {
                throw QueryError(at: nil, "step: \"\(text)\" is not a duration of at least 1s (e.g. 10s, 1m, or 60)")
            }
            step = .nanoseconds(Int64(nanoseconds))
        } else {
            step = defaultStep(from: start, to: end)
        }
        return QueryRequest(expression: expression, evaluation: .range(start: start, end: end, step: step))
    }

    /// About `points` points (240 for the API, a sparkline's 60 for the CLI), in whole 10 s
    /// multiples (the finest bucket).
    public static func defaultStep(from start: Timestamp, to end: Timestamp, points: Int64 = 240) -> Duration {
        let seconds = max(10, ((end.nanoseconds - start.nanoseconds) / 1_000_000_000 / max(1, points) + 9) / 10 * 10)
        return .seconds(seconds)
    }

    /// A range with start and end moved back to step boundaries, as dashboards do: each
    /// window then ends on a bucket boundary and reads whole minute or hour rows.
    public var alignedToStep: QueryRequest {
        guard case .range(let start, let end, let step) = evaluation else { return self }
        let stepNanoseconds = max(1, step.totalNanoseconds)
        func floor(_ time: Timestamp) -> Timestamp { Timestamp(nanoseconds: time.nanoseconds.roundedDown(toMultipleOf: stepNanoseconds)) }
        return QueryRequest(expression: expression, evaluation: .range(start: floor(start), end: floor(end), step: step))
    }

    private static func expression(_ get: (String) -> String?) throws(QueryError) -> String {
        guard let text = get("expr") ?? get("query"), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw QueryError(at: nil, "expr: missing (e.g. expr=p95(latency[5m]) by (service))")
        }
        return text
    }

    /// The time parameter `name` (RFC 3339, epoch seconds or a duration ago); nil when absent.
    static func time(_ get: (String) -> String?, _ name: String, now: Timestamp) throws(QueryError) -> Timestamp? {
        guard let text = get(name), !text.isEmpty else { return nil }
        guard let time = Timestamp.parseQueryTime(text, now: now) else {
            throw QueryError(at: nil, "\(name): \"\(text)\" is not a time (RFC 3339, epoch seconds, or a duration ago such as 15m)")
        }
        return time
    }
}

extension QueryEvaluator {
    /// Parses and evaluates a request.
    public func run(_ request: QueryRequest) async throws(QueryError) -> QueryResult {
        let expression = try QueryParser.parse(request.expression)
        switch request.evaluation {
        case .instant(let time): return try await instant(expression, at: time)
        case .range(let start, let end, let step): return try await range(expression, start: start, end: end, step: step)
        }
    }
}
