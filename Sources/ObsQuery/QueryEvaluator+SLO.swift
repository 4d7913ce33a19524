import ObsAggregate
import ObsCore
import ObsStorage

extension QueryEvaluator {
    /// `burn_rate(slo="NAME", window=1h)` and `error_budget_remaining(slo="NAME")`: one series
    /// `{slo="NAME"}`. A burn rate is the share of bad requests in [t − window, t) as a
    /// multiple of the share the objective allows (1 spends the budget exactly over the SLO's
    /// window); the budget remaining is 1 − the burn rate over the SLO's own window (1: all
    /// left, negative: overspent). Without traffic there is no value, and it is marked unknown.
    func evaluateSLOFunction(_ call: FunctionCall, grouping: [String]?, at times: [Timestamp]) async throws(QueryError) -> Value {
        let isBurnRate = call.name == "burn_rate"
        let usage = isBurnRate ? "burn_rate(slo=\"NAME\", window=1h)" : "error_budget_remaining(slo=\"NAME\")"
        let allowed = isBurnRate ? ["slo", "window"] : ["slo"]
        if grouping != nil {
            throw QueryError(at: call.position, "\(call.name)(…) has no by (…): it is one series per SLO, e.g. \(usage)")
        }
        var named: [String: Expression] = [:]
        for argument in call.arguments {
            guard let name = argument.name else {
                throw QueryError(at: argument.value.position, "\(call.name) takes named arguments only: \(usage)")
            }
            guard allowed.contains(name) else {
                throw QueryError(at: argument.value.position,
                                 "\(call.name) has no argument named \"\(name)\" (arguments: \(allowed.joined(separator: ", ")))")
            }
            guard named[name] == nil else { throw QueryError(at: argument.value.position, "\(call.name): \(name)= is given twice") }
            named[name] = argument.value
        }
        guard let sloArgument = named["slo"] else { throw QueryError(at: call.position, "\(call.name) needs slo=\"NAME\": \(usage)") }
        guard case .string(let sloName, let sloPosition) = sloArgument else {
            throw QueryError(at: sloArgument.position, "slo= must be an SLO's name in quotes, e.g. \(usage)")
        }
        guard let slo = slos.definition(named: sloName) else {
            let known = slos.definitions.map(\.name)
            let list = known.isEmpty ? "no slos are defined" : "slos: \(known.joined(separator: ", "))"
            throw QueryError(at: sloPosition, "unknown slo \(Expression.quote(sloName)) (\(list))")
        }
        let windowSeconds: Int64
        if isBurnRate {
            guard let windowArgument = named["window"] else { throw QueryError(at: call.position, "burn_rate needs window=DURATION: \(usage)") }
            windowSeconds = try Self.sloWindow(windowArgument)
        } else {
            windowSeconds = slo.windowSeconds
        }
        let buckets = Int64(times.count) * WindowPlan.maximumCells(rangeSeconds: windowSeconds)
        guard buckets <= Int64(Self.maxBucketsPerSelector) else {
            throw QueryError(at: call.position, "this would combine up to \(buckets) stored buckets (at most \(Self.maxBucketsPerSelector)); use a larger step")
        }
        let counts = try await sloCounts(slo, windows: times.map { Self.sloWindow(endingAt: $0, seconds: windowSeconds) })
        let values: [Double?] = counts.map { counts in
            counts.burnRate(objective: slo.objective).map { isBurnRate ? $0 : 1 - $0 }
        }
        return .series([EvaluatedSeries(labels: ["slo": slo.name], values: values, unknown: counts.map { $0.total == 0 })])
    }

    /// `window=` in whole 10 s buckets: numbers arrive in milliseconds (`1h` is 3,600,000).
    private static func sloWindow(_ expression: Expression) throws(QueryError) -> Int64 {
        guard case .number(let milliseconds, let position) = expression else {
            throw QueryError(at: expression.position, "window= must be a duration such as 1h, not \(expression)")
        }
        let bucketMs = Double(EventTimeAggregator.bucketSeconds * 1000)
        guard milliseconds >= bucketMs, milliseconds.truncatingRemainder(dividingBy: bucketMs) == 0 else {
            throw QueryError(at: position, "window= must be a duration of whole \(EventTimeAggregator.bucketSeconds)s buckets, at least \(EventTimeAggregator.bucketSeconds)s (e.g. 5m, 1h)")
        }
        guard milliseconds <= Double(maxRangeSeconds) * 1000 else {
            throw QueryError(at: position, "a window of at most \(maxRangeSeconds / 86_400)d is allowed")
        }
        return Int64(milliseconds / 1000)
    }

    /// [t' − seconds, t') with t' the end of the 10 s bucket t falls in, as a range selector.
    public static func sloWindow(endingAt time: Timestamp, seconds: Int64) -> (start: Int64, end: Int64) {
        let end = time.unixSecondsRoundedUp.roundedUp(toMultipleOf: EventTimeAggregator.bucketSeconds)
        return (end - seconds, end)
    }

    /// The SLO's total and bad requests in each window ([start, end) in unix seconds,
    /// multiples of 10): from the per-service series when the SLO names no route (one row
    /// per bucket), else from the per-route series whose route matches.
    public func sloCounts(_ slo: SLODefinition, windows: [(start: Int64, end: Int64)]) async throws(QueryError) -> [SLOCounts] {
        guard !windows.isEmpty else { return [] }
        let kind: RollupSeriesKey.Kind = slo.route == nil ? .serviceRequests : .requests
        var route: Regex<AnyRegexOutput>?
        if let pattern = slo.route {
            do {
                route = try Regex(pattern)
            } catch {
                throw QueryError(at: nil, "slo \(Expression.quote(slo.name)): invalid route regular expression \(Expression.quote(pattern))")
            }
        }
        let catalog: Set<RollupSeriesKey>
        do {
            catalog = try await source.series(kind: kind, service: slo.service)
        } catch {
            throw QueryError.storage("reading series: \(error)")
        }
        let selected = catalog.filter { key in
            key.service == slo.service && (route.map { key.route.wholeMatch(of: $0) != nil } ?? true)
        }
        let plan = WindowPlan(windows: windows)
        let data: RollupData
        do {
            data = try await source.load(
                series: selected, ranges: plan.ranges,
                unflushedFrom: windows.map(\.start).min() ?? 0, unflushedThrough: (windows.map(\.end).max() ?? 0) - 1,
                withSketches: slo.indicator == .latency
            )
        } catch {
            throw QueryError.storage("reading rollups: \(error)")
        }
        let cells = try SLOCells(data: data, slo: slo)
        return plan.windows.map { cells.counts(in: $0) }
    }
}
