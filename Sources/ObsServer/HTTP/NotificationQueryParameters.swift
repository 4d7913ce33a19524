import ObsCore
import ObsStorage

/// Builds an `OutboxQuery` from `GET /api/v1/notifications`'s parameters (also the CLI's
/// flags): `since`, `until`, `status`, `receiver`, `limit`.
public enum NotificationQueryParameters {
    public static func parse(_ get: (String) -> String?, now: Timestamp) -> Result<OutboxQuery, LogQueryParameters.Invalid> {
        var query = OutboxQuery()
        switch LogQueryParameters.timeBounds(get, now: now) {
        case .success(let bounds): (query.since, query.until) = bounds
        case .failure(let invalid): return .failure(invalid)
        }
        if let text = get("status"), !text.isEmpty {
            guard let status = DeliveryStatus(rawValue: text) else {
                return .failure(.init(message: "status: \"\(text)\" is not one of \(DeliveryStatus.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
            query.status = status
        }
        query.receiver = get("receiver").flatMap { $0.isEmpty ? nil : $0 }
        if let text = get("limit"), !text.isEmpty {
            guard let limit = Int(text), (1...OutboxQuery.maximumLimit).contains(limit) else {
                return .failure(.init(message: "limit: \"\(text)\" is not a number from 1 to \(OutboxQuery.maximumLimit)"))
            }
            query.limit = limit
        }
        return .success(query)
    }
}
