import ObsCore

/// One line of the availability report: a service (or one route of it) over a period — its
/// requests, its errors, and the minutes in which the error rate was above what the
/// objective allows.
public struct AvailabilityRow: Sendable, Equatable {
    public enum Grouping: String, Sendable, CaseIterable {
        case service, route
    }

    public var service: String
    /// Set when grouped by route.
    public var route: String?
    public var requests: Int64
    public var errors: Int64
    /// The objective the minutes are judged by: the service's errors SLO, else 99.9 %.
    public var objective: Double
    /// Minutes (1 m rollups) with at least one request.
    public var minutesWithTraffic: Int
    /// Minutes whose error rate exceeded 1 − objective.
    public var minutesAboveAllowance: Int

    public init(service: String, route: String?, requests: Int64, errors: Int64, objective: Double,
                minutesWithTraffic: Int, minutesAboveAllowance: Int) {
        self.service = service
        self.route = route
        self.requests = requests
        self.errors = errors
        self.objective = objective
        self.minutesWithTraffic = minutesWithTraffic
        self.minutesAboveAllowance = minutesAboveAllowance
    }

    /// The share of good requests; nil without traffic.
    public var availability: Double? { requests > 0 ? Double(requests - errors) / Double(requests) : nil }

    /// `{"status":"success","data":{"since","until","by","rows":[…]}}`.
    public static func json(_ rows: [AvailabilityRow], from: Int64, to: Int64, by grouping: Grouping) -> JSONWriter {
        var json = JSONWriter(capacity: 256 + rows.count * 256)
        json.beginObject()
        json.key("status"); json.string("success")
        json.key("data"); json.beginObject()
        json.key("since"); json.string(Timestamp(nanoseconds: from * 1_000_000_000).rfc3339)
        json.key("until"); json.string(Timestamp(nanoseconds: to * 1_000_000_000).rfc3339)
        json.key("by"); json.string(grouping.rawValue)
        json.key("rows"); json.beginArray()
        for row in rows {
            json.beginObject()
            json.key("service"); json.string(row.service)
            if grouping == .route { json.key("route"); json.string(row.route) }
            json.key("requests"); json.int(Int(row.requests))
            json.key("errors"); json.int(Int(row.errors))
            json.key("availability"); if let value = row.availability { json.double(value) } else { json.null() }
            json.key("objective"); json.double(row.objective)
            json.key("minutes"); json.int(row.minutesWithTraffic)
            json.key("minutes_above_allowance"); json.int(row.minutesAboveAllowance)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        json.endObject()
        return json
    }
}
