import ObsCore
import ObsStorage
import Synchronization

/// Turns committed records into per-series 10 s event-time buckets, in memory while they can
/// still receive records, then hands them to the `RollupFlusher`.
///
/// A bucket closes once the clock passes its end plus the grace period, so records that
/// arrive out of order or a little late still land in their own bucket before it is written.
/// A record for a bucket that already closed opens a fresh cell for it, flushed with the next
/// closed buckets and merged into the stored rows (upsert + sketch merge) — late records of
/// any age within retention are counted, never dropped.
///
/// Memory is bounded: at most `maxServices` services (beyond it, new ones are counted as
/// `service="other"`), per service at most `seriesPerService` (route, method) series (beyond
/// it, new ones fold into `route="other"`), cells live only until the next flush after
/// their grace period, and records far outside the clock's range are not aggregated.
///
/// Time is whatever `now` the caller passes, so tests drive it with a manual clock.
public final class EventTimeAggregator: Sendable {
    public struct Configuration: Sendable {
        public var grace: Duration
        public var seriesPerService: Int
        /// Services aggregated under their own name; a service name is often built from
        /// configuration, and one carrying a request id would otherwise mint a series per request.
        public var maxServices: Int
        public var requestLogs: RequestLogPolicy
        /// Records older than this (the 1 h rollup retention) are not aggregated.
        public var maxAge: Duration
        /// Records further ahead of the clock than this are not aggregated (clock skew
        /// beyond it would keep buckets open for as long).
        public var maxAhead: Duration

        public init(grace: Duration = .seconds(30), seriesPerService: Int = 10_000, maxServices: Int = 1_000,
                    requestLogs: RequestLogPolicy = .auto, maxAge: Duration = .seconds(400 * 86_400), maxAhead: Duration = .seconds(600)) {
            self.grace = grace
            self.seriesPerService = seriesPerService
            self.maxServices = maxServices
            self.requestLogs = requestLogs
            self.maxAge = maxAge
            self.maxAhead = maxAhead
        }
    }

    public static let bucketSeconds = RollupRow.resolutions[0]
    /// Stored resolutions in seconds; every flushed 10 s bucket is also merged into its
    /// minute and hour rows.
    public static let resolutions = RollupRow.resolutions
    public static let otherRoute = "other"
    public static let otherService = "other"
    /// How long after its last request span a service still counts as "sending spans".
    static let spanSendingWindowSeconds: Int64 = 300

    struct CellKey: Hashable {
        var bucketStart: Int64
        var series: RollupSeriesKey
    }

    struct RouteKey: Hashable {
        var route: String
        var method: String
    }

    struct InFlight {
        var generation: Int64
        var cells: [UnflushedCell]
    }

    struct State {
        var cells: [CellKey: RollupCell] = [:]
        var services: Set<String> = []
        var routes: [String: Set<RouteKey>] = [:]
        var requestSpansSeenAt: [String: Int64] = [:]
        var inFlight: InFlight?
        var committedGeneration: Int64
        /// Buckets starting before this have been closed: records for them are late.
        var closedBefore: Int64
        /// Records up to these ids are all in the store (see `RollupWatermark`).
        var allLogID: Int64
        var allSpanID: Int64
        /// The highest record ids observed.
        var observedLogID: Int64
        var observedSpanID: Int64
        /// Moves whenever cells leave memory or come back (flushes): with the cell count, it
        /// tells whether the set of series in memory can have changed (cells are only ever
        /// added elsewhere, which changes the count).
        var removals: Int64 = 0
        var seriesInMemory: SeriesInMemory?
    }

    /// The series that have cells in memory or in flight, by kind, as of a state.
    struct SeriesInMemory {
        var removals: Int64
        var cellCount: Int
        var byKind: [RollupSeriesKey.Kind: Set<RollupSeriesKey>]
    }

    public let configuration: Configuration
    public let counters = AggregationCounters()
    private let state: Mutex<State>

    /// `knownSeries` (the stored request series) seeds the per-service series limit, so it
    /// holds across restarts; `committedGeneration` and `watermark` are the store's.
    public init(configuration: Configuration = .init(), knownSeries: [RollupSeriesKey] = [], committedGeneration: Int64 = 0,
                watermark: RollupWatermark = .empty) {
        self.configuration = configuration
        var initial = State(
            committedGeneration: committedGeneration, closedBefore: watermark.closedBefore,
            allLogID: watermark.allLogID, allSpanID: watermark.allSpanID,
            observedLogID: max(watermark.allLogID, watermark.logID), observedSpanID: max(watermark.allSpanID, watermark.spanID)
        )
        for key in knownSeries {
            initial.services.insert(key.service)
            if key.kind == .requests {
                initial.routes[key.service, default: []].insert(RouteKey(route: key.route, method: key.method))
            }
        }
        state = Mutex(initial)
    }

    static func bucketStart(_ seconds: Int64) -> Int64 {
        seconds.roundedDown(toMultipleOf: bucketSeconds)
    }

    /// Counts the records of one committed batch; `ids` are the row ids its commit reached.
    public func observe(logs: [LogRecord], spans: [TraceSpan], now: Timestamp, ids: CommittedRecordIDs = .init()) {
        let nowSeconds = now.unixSecondsRoundedDown
        let oldest = nowSeconds - configuration.maxAge.totalNanoseconds / 1_000_000_000
        let newest = nowSeconds + configuration.maxAhead.totalNanoseconds / 1_000_000_000
        let requestSpans = spans.compactMap(RequestObservation.init(span:))
        let policy = configuration.requestLogs
        var counted = 0, late = 0, folded = 0, outOfRange = 0, skipped = 0

        state.withLock { state in
            if let id = ids.lastLogID { state.observedLogID = max(state.observedLogID, id) }
            if let id = ids.lastSpanID { state.observedSpanID = max(state.observedSpanID, id) }
            func inRange(_ seconds: Int64) -> Bool {
                if seconds < oldest || seconds > newest {
                    outOfRange += 1
                    return false
                }
                return true
            }
            func serviceLabel(_ name: String) -> String {
                if state.services.contains(name) { return name }
                guard state.services.count < configuration.maxServices else {
                    folded += 1
                    return Self.otherService
                }
                state.services.insert(name)
                return name
            }
            for var request in requestSpans {
                request.service = serviceLabel(request.service)
                state.requestSpansSeenAt[request.service] = nowSeconds
                let seconds = request.time.unixSecondsRoundedDown
                guard inRange(seconds) else { continue }
                if add(request, bucket: Self.bucketStart(seconds), to: &state) { folded += 1 }
                if Self.bucketStart(seconds) < state.closedBefore { late += 1 }
                counted += 1
            }
            for log in logs {
                let seconds = log.time.unixSecondsRoundedDown
                guard inRange(seconds) else { continue }
                let bucket = Self.bucketStart(seconds)
                if bucket < state.closedBefore { late += 1 }
                counted += 1
                let service = serviceLabel(log.service)
                state.cells[CellKey(bucketStart: bucket, series: .logs(service: service, level: log.severity.name)), default: RollupCell()]
                    .count(durationMs: nil, isError: log.severity >= .error)

                guard policy != .never, var request = RequestObservation(log: log) else { continue }
                request.service = service
                if policy == .auto, log.spanID != nil,
                   let seenAt = state.requestSpansSeenAt[service], nowSeconds - seenAt <= Self.spanSendingWindowSeconds {
                    skipped += 1
                    continue
                }
                if add(request, bucket: bucket, to: &state) { folded += 1 }
            }
        }
        counters.observations.add(counted, ordering: .relaxed)
        if late > 0 { counters.lateRecords.add(late, ordering: .relaxed) }
        if folded > 0 { counters.foldedObservations.add(folded, ordering: .relaxed) }
        if outOfRange > 0 { counters.outOfRangeRecords.add(outOfRange, ordering: .relaxed) }
        if skipped > 0 { counters.skippedRequestLogs.add(skipped, ordering: .relaxed) }
    }

    /// Adds a request to its route series and its service series; true when it was folded
    /// into `route="other"` by the series limit.
    private func add(_ request: RequestObservation, bucket: Int64, to state: inout State) -> Bool {
        var route = RouteKey(route: request.route, method: request.method)
        var folded = false
        if state.routes[request.service]?.contains(route) != true {
            if (state.routes[request.service]?.count ?? 0) >= configuration.seriesPerService {
                route = RouteKey(route: Self.otherRoute, method: "")
                folded = true
            }
            state.routes[request.service, default: []].insert(route)
        }
        state.cells[CellKey(bucketStart: bucket, series: .requests(service: request.service, route: route.route, method: route.method)),
                    default: RollupCell()].count(durationMs: request.durationMs, isError: request.isError)
        state.cells[CellKey(bucketStart: bucket, series: .serviceRequests(service: request.service)), default: RollupCell()]
            .count(durationMs: request.durationMs, isError: request.isError)
        return folded
    }

    /// Buckets ready for the store, as deltas for every resolution, under a new generation.
    public struct PendingFlush: Sendable {
        public let generation: Int64
        /// What the store covers once this flush commits.
        public let watermark: RollupWatermark
        public let deltas: [RollupDelta]
        public let bucketCount: Int
        let cells: [UnflushedCell]
    }

    /// Takes the buckets whose grace period has passed at `now` (all of them when
    /// `everything`, at shutdown — then it always answers, to record that every observed
    /// record is stored) and prepares their rows; nil when there is nothing to write or a
    /// flush is already in flight. Finish with `finishFlush`.
    public func beginFlush(now: Timestamp, everything: Bool = false) -> PendingFlush? {
        let graceSeconds = configuration.grace.totalNanoseconds / 1_000_000_000
        // A bucket [start, start + 10) closes once now ≥ start + 10 + grace.
        let closeBefore = everything ? Int64.max : now.unixSecondsRoundedDown - graceSeconds - Self.bucketSeconds + 1
        let taken: (generation: Int64, watermark: RollupWatermark, cells: [UnflushedCell])? = state.withLock { state in
            guard state.inFlight == nil else { return nil }
            if !everything { state.closedBefore = max(state.closedBefore, Self.bucketStart(closeBefore - 1) + Self.bucketSeconds) }
            var cells: [UnflushedCell] = []
            for (key, cell) in state.cells where key.bucketStart < closeBefore {
                cells.append(UnflushedCell(series: key.series, bucketStart: key.bucketStart, cell: cell))
            }
            guard !cells.isEmpty || everything else { return nil }
            for cell in cells { state.cells.removeValue(forKey: CellKey(bucketStart: cell.bucketStart, series: cell.series)) }
            state.removals += 1
            let generation = state.committedGeneration + 1
            state.inFlight = InFlight(generation: generation, cells: cells)
            let watermark = RollupWatermark(
                allLogID: everything ? state.observedLogID : state.allLogID,
                allSpanID: everything ? state.observedSpanID : state.allSpanID,
                closedBefore: state.closedBefore, logID: state.observedLogID, spanID: state.observedSpanID
            )
            return (generation, watermark, cells)
        }
        guard let taken else { return nil }
        return PendingFlush(generation: taken.generation, watermark: taken.watermark, deltas: Self.deltas(for: taken.cells),
                            bucketCount: taken.cells.count, cells: taken.cells)
    }

    /// 10 s rows as they are; minute and hour rows merged in memory first, so each is one
    /// upsert per flush however many of its 10 s buckets closed together.
    static func deltas(for cells: [UnflushedCell]) -> [RollupDelta] {
        var deltas: [RollupDelta] = []
        deltas.reserveCapacity(cells.count * 2)
        for resolution in resolutions {
            if resolution == bucketSeconds {
                for cell in cells {
                    deltas.append(cell.cell.delta(series: cell.series, resolution: resolution, bucketStart: cell.bucketStart))
                }
                continue
            }
            var merged: [CellKey: RollupCell] = [:]
            for cell in cells {
                let start = cell.bucketStart.roundedDown(toMultipleOf: resolution)
                merged[CellKey(bucketStart: start, series: cell.series), default: RollupCell()].merge(cell.cell)
            }
            for (key, cell) in merged {
                deltas.append(cell.delta(series: key.series, resolution: resolution, bucketStart: key.bucketStart))
            }
        }
        return deltas
    }

    /// Ends a flush: committed, its generation becomes current; failed, its buckets go back
    /// to memory (merged with whatever arrived meanwhile) for the next attempt.
    public func finishFlush(_ flush: PendingFlush, committed: Bool) {
        state.withLock { state in
            state.inFlight = nil
            state.removals += 1
            if committed {
                state.committedGeneration = flush.generation
                state.allLogID = max(state.allLogID, flush.watermark.allLogID)
                state.allSpanID = max(state.allSpanID, flush.watermark.allSpanID)
            } else {
                for cell in flush.cells {
                    state.cells[CellKey(bucketStart: cell.bucketStart, series: cell.series), default: RollupCell()].merge(cell.cell)
                }
            }
        }
    }

    /// What is not in the store yet, for a query that reads both.
    public struct UnflushedSnapshot: Sendable {
        public var open: [UnflushedCell]
        public var inFlight: (generation: Int64, cells: [UnflushedCell])?
        public var committedGeneration: Int64
    }

    /// Unflushed buckets of `series` starting in [from, through]. A rule's window covers a
    /// few dozen buckets of a few series: those are looked up directly rather than by walking
    /// every cell while ingest waits for the lock.
    public func snapshot(series: Set<RollupSeriesKey>, from: Int64, through: Int64) -> UnflushedSnapshot {
        state.withLock { state in
            var open: [UnflushedCell] = []
            let first = from.roundedUp(toMultipleOf: Self.bucketSeconds)
            let buckets = through >= first ? (through - first) / Self.bucketSeconds + 1 : 0
            let lookups = buckets.multipliedReportingOverflow(by: Int64(series.count))
            if !lookups.overflow && lookups.partialValue < Int64(state.cells.count) {
                for key in series {
                    for start in stride(from: first, through: through, by: Int(Self.bucketSeconds)) {
                        if let cell = state.cells[CellKey(bucketStart: start, series: key)] {
                            open.append(UnflushedCell(series: key, bucketStart: start, cell: cell))
                        }
                    }
                }
            } else {
                for (key, cell) in state.cells where key.bucketStart >= from && key.bucketStart <= through && series.contains(key.series) {
                    open.append(UnflushedCell(series: key.series, bucketStart: key.bucketStart, cell: cell))
                }
            }
            let inFlight = state.inFlight.map { flight in
                (flight.generation, flight.cells.filter { $0.bucketStart >= from && $0.bucketStart <= through && series.contains($0.series) })
            }
            return UnflushedSnapshot(open: open, inFlight: inFlight, committedGeneration: state.committedGeneration)
        }
    }

    /// Series of a kind that have unflushed buckets (new series may not be stored yet).
    /// Every rule evaluation asks; the answer is kept until a cell is added or removed.
    public func unflushedSeries(kind: RollupSeriesKey.Kind) -> Set<RollupSeriesKey> {
        state.withLock { state in
            if let known = state.seriesInMemory, known.removals == state.removals, known.cellCount == state.cells.count {
                return known.byKind[kind] ?? []
            }
            var byKind: [RollupSeriesKey.Kind: Set<RollupSeriesKey>] = [:]
            for key in state.cells.keys { byKind[key.series.kind, default: []].insert(key.series) }
            for cell in state.inFlight?.cells ?? [] { byKind[cell.series.kind, default: []].insert(cell.series) }
            state.seriesInMemory = SeriesInMemory(removals: state.removals, cellCount: state.cells.count, byKind: byKind)
            return byKind[kind] ?? []
        }
    }

    /// Open buckets in memory (for `/metrics`).
    public var openBucketCount: Int {
        state.withLock { $0.cells.count }
    }
}

extension RollupCell {
    mutating func count(durationMs: Double?, isError: Bool) {
        count += 1
        if isError { errors += 1 }
        if let durationMs { latency.add(durationMs) }
    }
}
