import ObsAggregate
import ObsCore

extension QueryEvaluator {
    /// Every SLO of the catalog at `time`: counts over the SLO's window ending at `time` (or
    /// over [since, time) when `since` is given), and the standard burn rates — one store
    /// read per SLO for all of its windows.
    public func sloReport(at time: Timestamp, since: Timestamp? = nil) async throws(QueryError) -> [SLOStatus] {
        var statuses: [SLOStatus] = []
        for slo in slos.definitions {
            let end = Self.sloWindow(endingAt: time, seconds: 0).end
            let start = since.map { $0.unixSecondsRoundedDown.roundedDown(toMultipleOf: EventTimeAggregator.bucketSeconds) }
                ?? end - slo.windowSeconds
            guard start < end else { throw QueryError(at: nil, "since: \(since.map(\.rfc3339) ?? "") is not before at \(time.rfc3339)") }
            guard end - start <= Self.maxRangeSeconds else {
                throw QueryError(at: nil, "since: a period of at most \(Self.maxRangeSeconds / 86_400)d is allowed")
            }
            let windows = [(start, end)] + SLOStatus.burnRateWindows.map { (end - $0.seconds, end) }
            let counts = try await sloCounts(slo, windows: windows)
            statuses.append(SLOStatus(slo: slo, from: start, to: end, counts: counts[0],
                                      burnRates: counts.dropFirst().map { $0.burnRate(objective: slo.objective) }))
        }
        return statuses
    }
}
