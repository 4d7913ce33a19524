import ObsCore

/// `GET /api/v1/slos` and `GET /api/v1/availability`, and `obs query slos|availability`
/// with `--db`: the parameters parsed once, answered as the same JSON either way.
public enum SLOReportRequest: Sendable, Equatable {
    /// Every SLO at `at`, over its window or over [since, at).
    case slos(at: Timestamp, since: Timestamp?)
    /// Per service or route over [since, until); objective nil: each service's errors SLO, else 99.9 %.
    case availability(since: Timestamp, until: Timestamp, by: AvailabilityRow.Grouping, objective: Double?)

    /// `at` (default now), `since` (default: each SLO's window).
    public static func slos(_ get: (String) -> String?, now: Timestamp) throws(QueryError) -> SLOReportRequest {
        let at = try QueryRequest.time(get, "at", now: now) ?? now
        return .slos(at: at, since: try QueryRequest.time(get, "since", now: now))
    }

    /// `since` (default 30d), `until` (default now), `by` (service | route), `objective` (`99.9%` or `0.999`).
    public static func availability(_ get: (String) -> String?, now: Timestamp) throws(QueryError) -> SLOReportRequest {
        let since = try QueryRequest.time(get, "since", now: now) ?? now.adding(nanoseconds: -30 * 86_400 * 1_000_000_000)
        let until = try QueryRequest.time(get, "until", now: now) ?? now
        guard since < until else { throw QueryError(at: nil, "since: \(since.rfc3339) is not before until \(until.rfc3339)") }
        let grouping: AvailabilityRow.Grouping
        if let text = get("by"), !text.isEmpty {
            guard let parsed = AvailabilityRow.Grouping(rawValue: text) else {
                throw QueryError(at: nil, "by: \"\(text)\" is not service or route")
            }
            grouping = parsed
        } else {
            grouping = .service
        }
        var objective: Double?
        if let text = get("objective"), !text.isEmpty {
            objective = try parseObjective(text)
        }
        return .availability(since: since, until: until, by: grouping, objective: objective)
    }

    /// `99.9%` or `0.999`, strictly between 0 and 1.
    public static func parseObjective(_ text: String) throws(QueryError) -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let percent = trimmed.hasSuffix("%")
        let number = Double(percent ? String(trimmed.dropLast()).trimmingCharacters(in: .whitespaces) : trimmed)
        let value = number.map { percent ? $0 / 100 : $0 }
        guard let value, value > 0, value < 1 else {
            throw QueryError(at: nil, "objective: \"\(text)\" is not a percentage or fraction between 0 and 100 % (e.g. 99.9% or 0.999)")
        }
        return value
    }
}

extension QueryEvaluator {
    /// The report's JSON body.
    public func report(_ request: SLOReportRequest) async throws(QueryError) -> JSONWriter {
        switch request {
        case .slos(let at, let since):
            return SLOStatus.json(try await sloReport(at: at, since: since), at: at)
        case .availability(let since, let until, let grouping, let objective):
            let from = since.unixSecondsRoundedDown
            let to = until.unixSecondsRoundedUp
            let rows = try await availability(from: from, to: to, by: grouping, objective: objective)
            return AvailabilityRow.json(rows, from: from.roundedDown(toMultipleOf: 60), to: to.roundedUp(toMultipleOf: 60), by: grouping)
        }
    }
}
