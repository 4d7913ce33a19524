import ObsCore
import ObsStorage

/// MTTD, MTTA, time to mitigate and MTTR over a set of incidents, per service or per week
/// (the UTC week from Monday, keyed by that Monday's date), so a team sees its trend. Each
/// figure counts the incidents where it is known: MTTA the acknowledged ones, MTTR the
/// resolved ones.
public struct MTTRReport: Sendable, Equatable {
    public enum Grouping: String, Sendable, CaseIterable {
        case service
        case week
    }

    /// Mean, median and 90th percentile (nearest rank) of one figure.
    public struct Summary: Sendable, Equatable {
        public var count: Int
        public var mean: Double
        public var median: Double
        public var p90: Double

        init?(_ values: [Double]) {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted()
            count = sorted.count
            mean = sorted.reduce(0, +) / Double(sorted.count)
            let middle = sorted.count / 2
            median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
            let rank = Int((0.9 * Double(sorted.count)).rounded(.up))
            p90 = sorted[max(0, rank - 1)]
        }
    }

    public struct Group: Sendable, Equatable {
        public var key: String
        public var count: Int
        public var detect: Summary?
        public var acknowledge: Summary?
        public var mitigate: Summary?
        public var resolve: Summary?
    }

    public var groups: [Group]

    public init(_ incidents: [IncidentRecord], by grouping: Grouping) {
        var members: [String: [IncidentFigures]] = [:]
        for incident in incidents {
            let key = switch grouping {
            case .service: incident.service
            case .week: Self.week(of: incident.openedAt)
            }
            members[key, default: []].append(IncidentFigures(incident))
        }
        groups = members.keys.sorted().map { key in
            let figures = members[key] ?? []
            return Group(key: key, count: figures.count, detect: Summary(figures.compactMap(\.detect)),
                         acknowledge: Summary(figures.compactMap(\.acknowledge)), mitigate: Summary(figures.compactMap(\.mitigate)),
                         resolve: Summary(figures.compactMap(\.resolve)))
        }
    }

    /// The Monday (UTC) of the week holding `time`, as `YYYY-MM-DD`.
    static func week(of time: Timestamp) -> String {
        let day: Int64 = 86_400 * 1_000_000_000
        var days = time.nanoseconds / day
        if time.nanoseconds % day < 0 { days -= 1 }
        // 1970-01-01 was a Thursday: Monday is 3 days before it.
        let weekday = ((days + 3) % 7 + 7) % 7
        return String(Timestamp(nanoseconds: (days - weekday) * day).rfc3339.prefix(10))
    }
}
