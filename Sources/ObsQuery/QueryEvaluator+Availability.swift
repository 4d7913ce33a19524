import ObsAggregate
import ObsCore
import ObsStorage

extension QueryEvaluator {
    /// The objective the availability report judges a service by when none is given.
    public static let defaultAvailabilityObjective = 0.999

    /// Requests, errors and the minutes over the allowance per service (or per service and
    /// route) in [from, to), whole minutes (from rounded down, to rounded up to a minute),
    /// from the 1 m rollups and the aggregator's open buckets. A minute counts against the
    /// objective when its error rate is above 1 − objective; `objective` nil: each service's
    /// errors SLO (one without a route filter first), else 99.9 %.
    public func availability(from: Int64, to: Int64, by grouping: AvailabilityRow.Grouping,
                             objective: Double?) async throws(QueryError) -> [AvailabilityRow] {
        let start = from.roundedDown(toMultipleOf: 60)
        let end = to.roundedUp(toMultipleOf: 60)
        guard start < end else { throw QueryError(at: nil, "since: the period is empty") }
        guard end - start <= Self.maxRangeSeconds else { throw QueryError(at: nil, "since: a period of at most \(Self.maxRangeSeconds / 86_400)d is allowed") }
        let kind: RollupSeriesKey.Kind = grouping == .service ? .serviceRequests : .requests
        let catalog: Set<RollupSeriesKey>
        do {
            catalog = try await source.series(kind: kind, service: nil)
        } catch {
            throw QueryError.storage("reading series: \(error)")
        }
        let data: RollupData
        do {
            data = try await source.load(series: catalog, ranges: [RollupRange(resolution: 60, from: start, through: end - 60)],
                                         unflushedFrom: start, unflushedThrough: end - 1, withSketches: false)
        } catch {
            throw QueryError.storage("reading rollups: \(error)")
        }
        struct Group: Hashable { var service: String; var route: String? }
        func group(of key: RollupSeriesKey) -> Group { Group(service: key.service, route: grouping == .route ? key.route : nil) }
        // Per group, per minute: (requests, errors). Stored 1 m rows and open 10 s buckets
        // never overlap (a bucket is in memory until its flush writes every resolution).
        var minutes: [Group: [Int64: (count: Int64, errors: Int64)]] = [:]
        for (key, rows) in data.stored {
            for row in rows where row.resolution == 60 {
                minutes[group(of: key), default: [:]][row.bucketStart, default: (0, 0)].count += row.count
                minutes[group(of: key), default: [:]][row.bucketStart, default: (0, 0)].errors += row.errors
            }
        }
        for (key, cells) in data.unflushed {
            for cell in cells {
                let minute = cell.bucketStart.roundedDown(toMultipleOf: 60)
                minutes[group(of: key), default: [:]][minute, default: (0, 0)].count += cell.cell.count
                minutes[group(of: key), default: [:]][minute, default: (0, 0)].errors += cell.cell.errors
            }
        }
        let sloObjectives = Self.errorObjectives(slos.definitions)
        return minutes.map { group, perMinute in
            let judgedBy = objective ?? sloObjectives[group.service] ?? Self.defaultAvailabilityObjective
            let allowance = 1 - judgedBy
            var requests: Int64 = 0, errors: Int64 = 0, withTraffic = 0, above = 0
            for minute in perMinute.values where minute.count > 0 {
                requests += minute.count
                errors += minute.errors
                withTraffic += 1
                if Double(minute.errors) / Double(minute.count) > allowance { above += 1 }
            }
            return AvailabilityRow(service: group.service, route: group.route, requests: requests, errors: errors, objective: judgedBy,
                                   minutesWithTraffic: withTraffic, minutesAboveAllowance: above)
        }
        .filter { $0.requests > 0 }
        .sorted { ($0.service, $0.route ?? "") < ($1.service, $1.route ?? "") }
    }

    /// Each service's errors-SLO objective, an SLO over every route winning over a route's.
    static func errorObjectives(_ definitions: [SLODefinition]) -> [String: Double] {
        var objectives: [String: Double] = [:]
        for slo in definitions where slo.indicator == .errors && slo.route == nil && objectives[slo.service] == nil {
            objectives[slo.service] = slo.objective
        }
        for slo in definitions where slo.indicator == .errors && objectives[slo.service] == nil {
            objectives[slo.service] = slo.objective
        }
        return objectives
    }
}
