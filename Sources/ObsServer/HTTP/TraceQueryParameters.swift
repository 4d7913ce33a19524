import ObsCore

/// Builds a `TraceQuery` from the API's parameters (also the CLI's flags), naming the
/// parameter and the reason when one is invalid.
public enum TraceQueryParameters {
    public static func parse(_ get: (String) -> String?, now: Timestamp) -> Result<TraceQuery, LogQueryParameters.Invalid> {
        var query = TraceQuery()
        query.service = get("service").flatMap { $0.isEmpty ? nil : $0 }
        if let text = get("min_duration"), !text.isEmpty {
            guard let nanos = DurationText.nanoseconds(text, defaultUnit: .milliseconds), nanos < 9.2e18 else {
                return .failure(.init(message: "min_duration: \"\(text)\" is not a duration (e.g. 500ms, 2s; a bare number is ms)"))
            }
            query.minimumDurationNanoseconds = Int64(nanos)
        }
        if let text = get("error"), !text.isEmpty {
            switch text.lowercased() {
            case "true", "1", "yes": query.errorsOnly = true
            case "false", "0", "no": query.errorsOnly = false
            default: return .failure(.init(message: "error: \"\(text)\" is not true or false"))
            }
        }
        switch LogQueryParameters.timeBounds(get, now: now) {
        case .success(let bounds): (query.since, query.until) = bounds
        case .failure(let invalid): return .failure(invalid)
        }
        if let text = get("limit"), !text.isEmpty {
            guard let limit = Int(text), (1...TraceQuery.maximumLimit).contains(limit) else {
                return .failure(.init(message: "limit: \"\(text)\" must be a whole number from 1 to \(TraceQuery.maximumLimit)"))
            }
            query.limit = limit
        }
        return .success(query)
    }
}
