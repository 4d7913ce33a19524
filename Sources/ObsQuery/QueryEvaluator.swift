import Foundation
import ObsAggregate
import ObsCore
import ObsStorage

/// Evaluates expressions over rollups (and, in the daemon, the aggregator's unflushed
/// buckets). Time is an argument: the same code answers `obs query`, the HTTP API and, later,
/// rules replayed in event time.
///
/// A range selector `[R]` evaluated at instant t covers the 10 s buckets in [t' − R, t'),
/// where t' is t rounded up to the next 10 s boundary — the bucket t falls in is included.
/// A window with no observation of a series has no value for it (as in Prometheus);
/// `absent(…)` is how to ask for that.
public struct QueryEvaluator: Sendable {
    /// As Prometheus: more points than this per series is refused, not truncated.
    public static let maxPointsPerSeries = 11_000
    /// The longest range a selector may cover (five years, beyond any rollup retention).
    public static let maxRangeSeconds: Int64 = 5 * 365 * 86_400
    /// Stored buckets one selector may combine over all its windows: bounds the work a single
    /// query can ask for (a day at a 1 m step with [5m] windows is ~7,000).
    public static let maxBucketsPerSelector = 2_000_000

    let source: RollupQuerySource
    /// Where `anomaly(…)` keeps its detectors between evaluations (a rule's); nil: each
    /// evaluation rebuilds them from the rollups.
    let anomalies: AnomalyMemory?
    /// The SLOs `burn_rate(…)` and `error_budget_remaining(…)` can name.
    public let slos: SLOCatalog

    public init(source: RollupQuerySource, slos: SLOCatalog = SLOCatalog(), anomalies: AnomalyMemory? = nil) {
        self.source = source
        self.slos = slos
        self.anomalies = anomalies
    }

    /// The same evaluator, keeping `anomaly(…)`'s detectors in `memory`.
    public func remembering(_ memory: AnomalyMemory) -> QueryEvaluator {
        QueryEvaluator(source: source, slos: slos, anomalies: memory)
    }

    /// The value of `expression` at `time`.
    public func instant(_ expression: Expression, at time: Timestamp) async throws(QueryError) -> QueryResult {
        let value = try await evaluate(expression, at: [time])
        switch value {
        case .scalar(let number):
            return QueryResult(kind: .scalar, series: [QuerySeries(labels: [:], points: [QueryPoint(time: time, value: number)])])
        case .series(let series):
            return QueryResult(kind: .vector, series: Self.points(series, at: [time]))
        }
    }

    /// The value of `expression` at start, start + step, … up to end.
    public func range(_ expression: Expression, start: Timestamp, end: Timestamp, step: Duration) async throws(QueryError) -> QueryResult {
        let stepNanoseconds = step.totalNanoseconds
        guard stepNanoseconds > 0 else { throw QueryError(at: nil, "step must be longer than zero") }
        guard end >= start else { throw QueryError(at: nil, "end \(end) is before start \(start)") }
        let steps = (end.nanoseconds - start.nanoseconds) / stepNanoseconds
        guard steps < Int64(Self.maxPointsPerSeries) else {
            throw QueryError(at: nil, "\(steps + 1) points per series exceed the maximum of \(Self.maxPointsPerSeries); use a larger step")
        }
        let count = steps + 1
        let times = (0..<count).map { Timestamp(nanoseconds: start.nanoseconds + $0 * stepNanoseconds) }
        switch try await evaluate(expression, at: times) {
        case .scalar(let number):
            return QueryResult(kind: .matrix, series: [QuerySeries(labels: [:], points: times.map { QueryPoint(time: $0, value: number) })])
        case .series(let series):
            return QueryResult(kind: .matrix, series: Self.points(series, at: times))
        }
    }

    private static func points(_ series: [EvaluatedSeries], at times: [Timestamp]) -> [QuerySeries] {
        series.compactMap { one in
            let points = zip(times, one.values).compactMap { time, value in value.map { QueryPoint(time: time, value: $0) } }
            return points.isEmpty ? nil : QuerySeries(labels: one.labels, points: points)
        }
        .sorted { $0.labelText < $1.labelText }
    }

    // MARK: - Values

    struct EvaluatedSeries {
        var labels: [String: String]
        /// One per evaluation time; nil where the series has no value.
        var values: [Double?]
        /// One per evaluation time where some are unknown (an SLO without traffic), else
        /// empty: "no value" there means "cannot tell", not "false" (see `and`, conditions).
        var unknown: [Bool] = []
    }

    enum Value {
        case scalar(Double)
        case series([EvaluatedSeries])
    }

    func evaluate(_ expression: Expression, at times: [Timestamp]) async throws(QueryError) -> Value {
        switch expression {
        case .number(let value, _):
            return .scalar(value)
        case .string(_, let position):
            throw QueryError(at: position, "a string is only allowed as the value of a label matcher or a named argument")
        case .negation(let operand, _):
            return try await Self.map(evaluate(operand, at: times)) { -$0 }
        case .binary(let operation):
            let lhs = try await evaluate(operation.lhs, at: times)
            let rhs = try await evaluate(operation.rhs, at: times)
            if operation.op == .and { return try Self.intersect(operation, lhs, rhs) }
            return try Self.combine(operation, lhs, rhs)
        case .selector(let selector):
            return try await windowed(selector, reduction: try Self.bareReduction(of: selector), grouping: nil, at: times)
        case .call(let call):
            return try await evaluate(call, grouping: nil, at: times)
        case .grouping(let operand, let labels, let position):
            switch operand {
            case .selector(let selector):
                return try await windowed(selector, reduction: try Self.bareReduction(of: selector), grouping: labels, at: times)
            case .call(let call):
                return try await evaluate(call, grouping: labels, at: times)
            default:
                throw QueryError(at: position, "by (…) must follow a function of a selector or a selector, e.g. p95(latency[5m]) by (service)")
            }
        }
    }

    // MARK: - Functions

    static let functionNames = "p50, p90, p95, p99, quantile, avg, min, max, count, rate, absent, anomaly, burn_rate, error_budget_remaining"
    static let percentiles: [String: Double] = ["p50": 0.50, "p90": 0.90, "p95": 0.95, "p99": 0.99]

    private func evaluate(_ call: FunctionCall, grouping: [String]?, at times: [Timestamp]) async throws(QueryError) -> Value {
        if let quantile = Self.percentiles[call.name] {
            let selector = try Self.selectorArgument(call, index: 0, count: 1, metrics: [.latency])
            return try await windowed(selector, reduction: .quantile(quantile), grouping: grouping, at: times)
        }
        switch call.name {
        case "quantile":
            guard call.arguments.count == 2, call.arguments.allSatisfy({ $0.name == nil }) else {
                throw QueryError(at: call.position, "quantile takes 2 arguments, a number between 0 and 1 and a latency selector: quantile(0.999, latency[5m])")
            }
            guard case .number(let quantile, let position) = call.arguments[0].value else {
                throw QueryError(at: call.arguments[0].value.position, "the first argument of quantile must be a number between 0 and 1")
            }
            guard (0...1).contains(quantile) else {
                throw QueryError(at: position, "quantile \(Expression.format(quantile)) is outside 0…1 (p99.9 is quantile(0.999, …))")
            }
            let selector = try Self.selectorArgument(call, index: 1, count: 2, metrics: [.latency])
            return try await windowed(selector, reduction: .quantile(quantile), grouping: grouping, at: times)
        case "avg", "min", "max":
            let selector = try Self.selectorArgument(call, index: 0, count: 1, metrics: [.latency])
            let reduction: Reduction = call.name == "avg" ? .average : call.name == "min" ? .minimum : .maximum
            return try await windowed(selector, reduction: reduction, grouping: grouping, at: times)
        case "count":
            let selector = try Self.selectorArgument(call, index: 0, count: 1, metrics: [.latency, .requests, .errors, .logs])
            return try await windowed(selector, reduction: selector.metric == "errors" ? .errors : .count, grouping: grouping, at: times)
        case "rate":
            let selector = try Self.selectorArgument(call, index: 0, count: 1, metrics: [.requests, .errors, .logs])
            return try await windowed(selector, reduction: .rate(errors: selector.metric == "errors"), grouping: grouping, at: times)
        case "absent":
            let selector = try Self.selectorArgument(call, index: 0, count: 1, metrics: QueryMetric.allCases)
            if let grouping, !grouping.isEmpty {
                throw QueryError(at: call.position, "absent(…) has no by (…): it is one series, present when nothing matched")
            }
            return try await windowed(selector, reduction: .absent, grouping: nil, at: times)
        case "anomaly":
            return try await anomaly(call, grouping: grouping, at: times)
        case "burn_rate", "error_budget_remaining":
            return try await evaluateSLOFunction(call, grouping: grouping, at: times)
        default:
            throw QueryError(at: call.position, "unknown function \"\(call.name)\" (functions: \(Self.functionNames))")
        }
    }

    /// The one range selector a function takes, checked: arity, kind, metric and range.
    private static func selectorArgument(_ call: FunctionCall, index: Int, count: Int, metrics: [QueryMetric]) throws(QueryError) -> SeriesSelector {
        guard call.arguments.count == count else {
            throw QueryError(at: call.position, "\(call.name) takes \(count) argument\(count == 1 ? "" : "s"), got \(call.arguments.count)")
        }
        let argument = call.arguments[index]
        if let name = argument.name {
            throw QueryError(at: argument.value.position, "\(call.name) has no argument named \"\(name)\"")
        }
        guard case .selector(let selector) = argument.value else {
            throw QueryError(at: argument.value.position, "\(call.name) needs a range selector such as \(metrics[0].rawValue)[5m], not \(argument.value)")
        }
        guard let metric = QueryMetric(rawValue: selector.metric) else {
            throw QueryError(at: selector.position, "unknown metric \"\(selector.metric)\" (metrics: \(QueryMetric.names))")
        }
        guard metrics.contains(metric) else {
            throw QueryError(at: selector.position, "\(call.name) applies to \(metrics.map(\.rawValue).joined(separator: ", ")), not \(metric.rawValue)")
        }
        guard selector.rangeSeconds != nil else {
            throw QueryError(at: selector.position, "\(selector.metric) needs a range here, such as \(selector.metric)[5m]")
        }
        return selector
    }

    /// What a selector means on its own: the count (or ratio) in its range.
    private static func bareReduction(of selector: SeriesSelector) throws(QueryError) -> Reduction {
        guard let metric = QueryMetric(rawValue: selector.metric) else {
            throw QueryError(at: selector.position, "unknown metric \"\(selector.metric)\" (metrics: \(QueryMetric.names))")
        }
        guard selector.rangeSeconds != nil else {
            throw QueryError(at: selector.position, "\(selector.metric) needs a range, such as \(selector.metric)[5m]")
        }
        switch metric {
        case .latency:
            throw QueryError(at: selector.position, "latency needs a function: p50, p90, p95, p99, quantile(q, …), avg, min, max or count, e.g. p95(latency[5m])")
        case .requests, .logs: return .count
        case .errors: return .errors
        case .errorRate: return .errorRate
        }
    }

    // MARK: - Windows

    enum Reduction {
        case quantile(Double)
        case average, minimum, maximum
        case count, errors, errorRate
        case rate(errors: Bool)
        case absent

        var needsSketches: Bool {
            switch self {
            case .quantile, .average, .minimum, .maximum: true
            default: false
            }
        }

        func value(of cell: RollupCell, rangeSeconds: Int64) -> Double? {
            guard cell.count > 0 else { return nil }
            switch self {
            case .quantile(let q): return cell.latency.quantile(q)
            case .average: return cell.latency.isEmpty ? nil : cell.latency.sum / Double(cell.latency.count)
            case .minimum: return cell.latency.isEmpty ? nil : cell.latency.min
            case .maximum: return cell.latency.isEmpty ? nil : cell.latency.max
            case .count: return Double(cell.count)
            case .errors: return Double(cell.errors)
            case .errorRate: return Double(cell.errors) / Double(cell.count)
            case .rate(let errors): return Double(errors ? cell.errors : cell.count) / Double(rangeSeconds)
            case .absent: return nil
            }
        }
    }

    /// Evaluates a reduction of a range selector at every time, one series per group.
    private func windowed(_ selector: SeriesSelector, reduction: Reduction, grouping: [String]?, at times: [Timestamp]) async throws(QueryError) -> Value {
        guard let metric = QueryMetric(rawValue: selector.metric) else {
            throw QueryError(at: selector.position, "unknown metric \"\(selector.metric)\" (metrics: \(QueryMetric.names))")
        }
        let matchers = try SeriesMatcher.compile(selector.matchers, metric: metric)
        for label in grouping ?? [] where !metric.labels.contains(label) {
            throw QueryError(at: selector.position, "cannot group \(metric.rawValue) by \"\(label)\" (labels: \(metric.labels.joined(separator: ", ")))")
        }
        guard (selector.rangeSeconds ?? 0) <= Self.maxRangeSeconds else {
            throw QueryError(at: selector.position, "a range of at most \(Self.maxRangeSeconds / 86_400)d is allowed")
        }
        let rangeSeconds = max(selector.rangeSeconds ?? 0, EventTimeAggregator.bucketSeconds).roundedUp(toMultipleOf: EventTimeAggregator.bucketSeconds)
        let buckets = Int64(times.count) * WindowPlan.maximumCells(rangeSeconds: rangeSeconds)
        guard buckets <= Int64(Self.maxBucketsPerSelector) else {
            throw QueryError(at: selector.position, "this would combine up to \(buckets) stored buckets (at most \(Self.maxBucketsPerSelector)); use a larger step or a shorter range")
        }
        let kind = metric.kind(matchers: selector.matchers, grouping: grouping)

        // Which series, in which groups.
        let catalog: Set<RollupSeriesKey>
        do {
            // An exact service narrows the catalog in SQL; the matchers still decide below.
            let service = selector.matchers.first { $0.label == "service" && $0.op == .equal }?.value
            catalog = try await source.series(kind: kind, service: service)
        } catch {
            throw QueryError.storage("reading series: \(error)")
        }
        let fixedLabels = Dictionary(selector.matchers.filter { $0.op == .equal }.map { ($0.label, $0.value) }, uniquingKeysWith: { $1 })
        var groups: [[String: String]: [RollupSeriesKey]] = [:]
        var selected = Set<RollupSeriesKey>()
        for key in catalog {
            let labels = Dictionary(uniqueKeysWithValues: key.labels.map { ($0.name, $0.value) })
            guard matchers.allSatisfy({ $0.matches(labels) }) else { continue }
            selected.insert(key)
            let groupLabels = grouping.map { names in
                Dictionary(uniqueKeysWithValues: names.map { ($0, labels[$0] ?? "") })
            } ?? fixedLabels
            groups[groupLabels, default: []].append(key)
        }

        // Which buckets.
        let bounds = times.map { time -> (start: Int64, end: Int64) in
            let end = time.unixSecondsRoundedUp.roundedUp(toMultipleOf: EventTimeAggregator.bucketSeconds)
            return (end - rangeSeconds, end)
        }
        let plan = WindowPlan(windows: bounds)
        let data: RollupData
        do {
            data = try await source.load(
                series: selected, ranges: plan.ranges,
                unflushedFrom: bounds.map(\.start).min() ?? 0, unflushedThrough: (bounds.map(\.end).max() ?? 0) - 1,
                withSketches: reduction.needsSketches
            )
        } catch {
            throw QueryError.storage("reading rollups: \(error)")
        }
        if case .absent = reduction {
            let cells = try SeriesCells(data: data, withSketches: false)
            let values: [Double?] = plan.windows.map { window in
                var total = RollupCell()
                for key in selected { cells.accumulate(key, in: window, into: &total) }
                return total.count == 0 ? 1 : nil
            }
            return .series([EvaluatedSeries(labels: fixedLabels, values: values)])
        }
        return .series(try await Self.evaluateGroups(groups.map { (labels: $0.key, keys: $0.value) }, data: data, plan: plan, reduction: reduction, rangeSeconds: rangeSeconds))
    }

    /// Each group's values at every window: decoding its rows and merging its sketches is
    /// independent of the other groups, so groups run in parallel, one task per core.
    private static func evaluateGroups(
        _ groups: [(labels: [String: String], keys: [RollupSeriesKey])], data: RollupData, plan: WindowPlan,
        reduction: Reduction, rangeSeconds: Int64
    ) async throws(QueryError) -> [EvaluatedSeries] {
        @Sendable func evaluate(_ group: (labels: [String: String], keys: [RollupSeriesKey])) throws(QueryError) -> EvaluatedSeries {
            let cells = try SeriesCells(data: data, keys: group.keys, withSketches: reduction.needsSketches)
            let values: [Double?] = plan.windows.map { window in
                var merged = RollupCell()
                for key in group.keys { cells.accumulate(key, in: window, into: &merged) }
                return reduction.value(of: merged, rangeSeconds: rangeSeconds)
            }
            return EvaluatedSeries(labels: group.labels, values: values)
        }
        let width = min(groups.count, ProcessInfo.processInfo.activeProcessorCount)
        guard width > 1, plan.windows.count * groups.count >= 1000 else {
            var result: [EvaluatedSeries] = []
            for group in groups { result.append(try evaluate(group)) }
            return result
        }
        let outcome = await withTaskGroup(of: Result<EvaluatedSeries, QueryError>.self) { tasks in
            var next = 0
            func start() {
                let group = groups[next]
                next += 1
                tasks.addTask { Result { () throws(QueryError) in try evaluate(group) } }
            }
            while next < width { start() }
            var result: [EvaluatedSeries] = []
            while let finished = await tasks.next() {
                switch finished {
                case .success(let series): result.append(series)
                case .failure(let error):
                    tasks.cancelAll()
                    return Result<[EvaluatedSeries], QueryError>.failure(error)
                }
                if next < groups.count { start() }
            }
            return .success(result)
        }
        return try outcome.get()
    }

    // MARK: - Arithmetic

    private static func map(_ value: Value, _ transform: (Double) -> Double) -> Value {
        switch value {
        case .scalar(let number): .scalar(transform(number))
        case .series(let series):
            .series(series.map { EvaluatedSeries(labels: $0.labels, values: $0.values.map { $0.map(transform) }, unknown: $0.unknown) })
        }
    }

    private static func combine(_ operation: BinaryOperation, _ lhs: Value, _ rhs: Value) throws(QueryError) -> Value {
        let op = operation.op
        switch (lhs, rhs) {
        case (.scalar(let a), .scalar(let b)):
            if op.isComparison { return .scalar(compare(op, a, b) ? 1 : 0) }
            return .scalar(arithmetic(op, a, b))
        case (.series(let series), .scalar(let b)):
            return .series(series.map { one in
                EvaluatedSeries(labels: one.labels, values: one.values.map { value in value.flatMap { apply(op, $0, b, keep: $0) } },
                                unknown: one.unknown)
            })
        case (.scalar(let a), .series(let series)):
            return .series(series.map { one in
                EvaluatedSeries(labels: one.labels, values: one.values.map { value in value.flatMap { apply(op, a, $0, keep: $0) } },
                                unknown: one.unknown)
            })
        case (.series(let left), .series(let right)):
            var rightByLabels: [[String: String]: EvaluatedSeries] = [:]
            for one in right {
                guard rightByLabels[one.labels] == nil else {
                    throw QueryError(at: operation.position, "the right side of \(op.rawValue) has two series with the labels \(QuerySeries(labels: one.labels, points: []).labelText); add by (…) to tell them apart")
                }
                rightByLabels[one.labels] = one
            }
            return .series(left.compactMap { one in
                guard let other = rightByLabels[one.labels] else { return nil }
                let values = zip(one.values, other.values).map { a, b -> Double? in
                    guard let a, let b else { return nil }
                    return apply(op, a, b, keep: a)
                }
                return EvaluatedSeries(labels: one.labels, values: values, unknown: EvaluatedSeries.either(one.unknown, other.unknown))
            })
        }
    }

    /// Arithmetic gives its result; a comparison keeps `keep` where it holds (a filter, as
    /// in Prometheus) and drops the point where it does not.
    private static func apply(_ op: BinaryOperation.Operator, _ a: Double, _ b: Double, keep: Double) -> Double? {
        op.isComparison ? (compare(op, a, b) ? keep : nil) : arithmetic(op, a, b)
    }

    private static func arithmetic(_ op: BinaryOperation.Operator, _ a: Double, _ b: Double) -> Double {
        switch op {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        default: .nan
        }
    }

    static func compare(_ op: BinaryOperation.Operator, _ a: Double, _ b: Double) -> Bool {
        switch op {
        case .equal: a == b
        case .notEqual: a != b
        case .greater: a > b
        case .less: a < b
        case .greaterOrEqual: a >= b
        case .lessOrEqual: a <= b
        default: false
        }
    }
}
