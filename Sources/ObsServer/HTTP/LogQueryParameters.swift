import ObsCore

/// Builds a `LogQuery` from the API's query parameters (also the CLI's flags), naming the
/// parameter and the reason when one is invalid.
public enum LogQueryParameters {
    public struct Invalid: Error, Sendable {
        public var message: String

        public init(message: String) {
            self.message = message
        }
    }

    /// `since` and `until`: RFC 3339, epoch seconds, or a duration ago; shared by every query.
    public static func timeBounds(_ get: (String) -> String?, now: Timestamp) -> Result<(since: Timestamp?, until: Timestamp?), Invalid> {
        var bounds: (since: Timestamp?, until: Timestamp?) = (nil, nil)
        for name in ["since", "until"] {
            guard let text = get(name), !text.isEmpty else { continue }
            guard let time = Timestamp.parseQueryTime(text, now: now) else {
                return .failure(Invalid(message: "\(name): \"\(text)\" is not a time (RFC 3339, epoch seconds, or a duration ago such as 15m)"))
            }
            if name == "since" { bounds.since = time } else { bounds.until = time }
        }
        return .success(bounds)
    }

    public static func parse(_ get: (String) -> String?, now: Timestamp) -> Result<LogQuery, Invalid> {
        var query = LogQuery()
        query.service = get("service").flatMap { $0.isEmpty ? nil : $0 }
        if let level = get("level"), !level.isEmpty {
            guard let severity = Severity(name: level) ?? Int(level).flatMap({ Severity(number: $0) }) else {
                return .failure(Invalid(message: "level: \"\(level)\" is not a level (trace, debug, info, warn, error, fatal, or 1–24)"))
            }
            query.minimumSeverity = severity
        }
        query.text = get("q").flatMap { $0.isEmpty ? nil : $0 }
        if let traceID = get("trace_id"), !traceID.isEmpty {
            guard traceID.isHexDigits else {
                return .failure(Invalid(message: "trace_id: \"\(traceID)\" is not a hex trace id"))
            }
            query.traceID = traceID.lowercased()
        }
        switch timeBounds(get, now: now) {
        case .success(let bounds): (query.since, query.until) = bounds
        case .failure(let invalid): return .failure(invalid)
        }
        if let limit = get("limit"), !limit.isEmpty {
            guard let value = Int(limit), (1...LogQuery.maximumLimit).contains(value) else {
                return .failure(Invalid(message: "limit: \"\(limit)\" must be a whole number from 1 to \(LogQuery.maximumLimit)"))
            }
            query.limit = value
        }
        return .success(query)
    }
}
