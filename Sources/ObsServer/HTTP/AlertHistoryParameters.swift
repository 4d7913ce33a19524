import ObsCore
import ObsStorage

/// Builds an `AlertHistoryQuery` from `GET /api/v1/alerts/history`'s parameters (also the
/// CLI's flags): `since`, `until`, `alertname`, `state`, `limit`.
public enum AlertHistoryParameters {
    public static func parse(_ get: (String) -> String?, now: Timestamp) -> Result<AlertHistoryQuery, LogQueryParameters.Invalid> {
        var query = AlertHistoryQuery()
        switch LogQueryParameters.timeBounds(get, now: now) {
        case .success(let bounds): (query.since, query.until) = bounds
        case .failure(let invalid): return .failure(invalid)
        }
        query.alertname = get("alertname").flatMap { $0.isEmpty ? nil : $0 }
        if let text = get("state"), !text.isEmpty {
            guard let state = AlertState(rawValue: text) else {
                return .failure(.init(message: "state: \"\(text)\" is not one of \(AlertState.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
            query.state = state
        }
        if let text = get("limit"), !text.isEmpty {
            guard let limit = Int(text), (1...AlertHistoryQuery.maximumLimit).contains(limit) else {
                return .failure(.init(message: "limit: \"\(text)\" is not a number from 1 to \(AlertHistoryQuery.maximumLimit)"))
            }
            query.limit = limit
        }
        return .success(query)
    }
}
