import Foundation
import ObsAggregate
import ObsCore
import ObsQuery
import ObsStorage
import ObsTesting
import Testing

/// A fixture hour of requests with answers computed exactly from the same records.
struct FixtureHour {
    struct Request {
        var seconds: Int64
        var service: String
        var route: String
        var ms: Double
        var isError: Bool
    }

    static let start: Int64 = 1_800_000_000 // on an hour boundary
    let requests: [Request]

    init() {
        var requests: [Request] = []
        for index in 0..<7200 {
            let service = index % 3 == 0 ? "cart" : "checkout"
            let route = service == "cart" ? "/add" : (index % 2 == 0 ? "/cart" : "/pay")
            requests.append(Request(seconds: Self.start + Int64(index / 2), service: service, route: route,
                                    ms: 1 + Double((index * 7919) % 5000) / 10, isError: index % 97 == 0))
        }
        self.requests = requests
    }

    var records: [LogRecord] {
        requests.map { request in
            LogRecord(time: Timestamp(nanoseconds: request.seconds * 1_000_000_000), service: request.service,
                      severity: request.isError ? .error : .info, message: "request", durationMs: request.ms,
                      status: request.isError ? 503 : 200, route: request.route, method: request.route == "/pay" ? "POST" : "GET")
        }
    }

    func exactQuantile(_ q: Double, where include: (Request) -> Bool) -> Double {
        let sorted = requests.filter(include).map(\.ms).sorted()
        return sorted[Int((q * Double(sorted.count - 1)).rounded(.down))]
    }
}

/// The evaluator over rollups written by the real aggregator into a real SQLite file —
/// flushed, or still in the aggregator's memory.
final class EvaluatorFixture {
    let directory: TemporaryDirectory
    let database: ObsDatabase
    let evaluator: QueryEvaluator
    let data = FixtureHour()

    init(flushed: Bool) async throws {
        directory = try TemporaryDirectory("obs-query")
        database = try ObsDatabase.open(at: directory.file("obs.db"))
        let store = SQLiteRollupStore(database: database, merger: LatencySketch.mergeEncoded)
        let aggregator = EventTimeAggregator()
        let records = data.records
        for chunk in stride(from: 0, to: records.count, by: 1000) {
            aggregator.observe(logs: Array(records[chunk..<min(records.count, chunk + 1000)]), spans: [],
                               now: Timestamp(nanoseconds: (FixtureHour.start + 3600) * 1_000_000_000))
        }
        if flushed {
            let pending = try #require(aggregator.beginFlush(now: Timestamp(nanoseconds: (FixtureHour.start + 4000) * 1_000_000_000)))
            try await store.add(pending.deltas, generation: pending.generation, watermark: pending.watermark)
            aggregator.finishFlush(pending, committed: true)
        }
        evaluator = QueryEvaluator(source: RollupQuerySource(reader: store, aggregator: flushed ? nil : aggregator))
    }

    deinit {
        try? database.close()
        directory.remove()
    }

    static let end = Timestamp(nanoseconds: (FixtureHour.start + 3600) * 1_000_000_000)

    func instant(_ text: String, at time: Timestamp = EvaluatorFixture.end) async throws -> [[String: String]: Double] {
        let result = try await evaluator.instant(try QueryParser.parse(text), at: time)
        return Dictionary(uniqueKeysWithValues: result.series.map { ($0.labels, $0.points[0].value) })
    }
}

@Suite("Query evaluation against known answers")
struct QueryEvaluatorTests {
    @Test("counts, rates, error rates and quantiles over an hour, flushed or still in memory", arguments: [true, false])
    func knownAnswers(flushed: Bool) async throws {
        let fixture = try await EvaluatorFixture(flushed: flushed)
        let requests = fixture.data.requests
        let checkout = requests.filter { $0.service == "checkout" }

        #expect(try await fixture.instant(#"requests{service="checkout"}[1h]"#) == [["service": "checkout"]: Double(checkout.count)])
        #expect(try await fixture.instant(#"rate(requests{service="checkout"}[1h])"#) == [["service": "checkout"]: Double(checkout.count) / 3600])
        #expect(try await fixture.instant(#"error_rate{service="checkout"}[1h]"#)
                == [["service": "checkout"]: Double(checkout.filter(\.isError).count) / Double(checkout.count)])
        #expect(try await fixture.instant(#"errors{service!="cart"}[1h] by (route)"#) == [
            ["route": "/pay"]: Double(checkout.filter { $0.route == "/pay" && $0.isError }.count),
            ["route": "/cart"]: Double(checkout.filter { $0.route == "/cart" && $0.isError }.count),
        ])
        #expect(try await fixture.instant(#"count(latency{service=~"check.*"}[1h])"#) == [[:]: Double(checkout.count)])

        for (text, q) in [(#"p95(latency{service="checkout"}[1h])"#, 0.95), (#"quantile(0.999, latency{service="checkout"}[1h])"#, 0.999),
                          (#"p50(latency{service="checkout"}[1h])"#, 0.5)] {
            let value = try #require(try await fixture.instant(text)[["service": "checkout"]])
            let exact = fixture.data.exactQuantile(q) { $0.service == "checkout" }
            #expect(abs(value - exact) / exact <= 0.01, "\(text): \(value) vs exact \(exact)")
        }
        let byService = try await fixture.instant("p99(latency[1h]) by (service)")
        #expect(Set(byService.keys) == [["service": "checkout"], ["service": "cart"]])
        for (labels, value) in byService {
            let exact = fixture.data.exactQuantile(0.99) { $0.service == labels["service"] }
            #expect(abs(value - exact) / exact <= 0.01)
        }

        let pay = checkout.filter { $0.route == "/pay" }.map(\.ms)
        let average = try #require(try await fixture.instant(#"avg(latency{route="/pay"}[1h])"#)[["route": "/pay"]])
        #expect(abs(average - pay.reduce(0, +) / Double(pay.count)) < 1e-9)
        #expect(try await fixture.instant(#"min(latency{route="/pay"}[1h])"#) == [["route": "/pay"]: pay.min() ?? 0])
        #expect(try await fixture.instant(#"max(latency{route="/pay"}[1h])"#) == [["route": "/pay"]: pay.max() ?? 0])

        let errorLogs = requests.filter(\.isError)
        #expect(try await fixture.instant(#"rate(logs{level="error"}[1h]) by (service)"#) == [
            ["service": "checkout"]: Double(errorLogs.filter { $0.service == "checkout" }.count) / 3600,
            ["service": "cart"]: Double(errorLogs.filter { $0.service == "cart" }.count) / 3600,
        ])
    }

    @Test("a window ending off the bucket grid reads hour, minute and 10 s rows and still counts exactly")
    func raggedWindows() async throws {
        let fixture = try await EvaluatorFixture(flushed: true)
        // Evaluated at start + 2,437 s: rounded up to 2,440; the window [start + 940, start + 2,440)
        // is 10 s buckets, then minutes, with no whole hour inside.
        let time = Timestamp(nanoseconds: (FixtureHour.start + 2437) * 1_000_000_000)
        let expected = fixture.data.requests.filter { $0.seconds >= FixtureHour.start + 940 && $0.seconds < FixtureHour.start + 2440 }.count
        #expect(try await fixture.instant("requests[25m]", at: time) == [[:]: Double(expected)])

        // A range query: each point is its own window.
        let result = try await fixture.evaluator.range(
            try QueryParser.parse(#"requests{service="cart"}[10m]"#),
            start: Timestamp(nanoseconds: (FixtureHour.start + 600) * 1_000_000_000),
            end: EvaluatorFixture.end, step: .seconds(600)
        )
        #expect(result.kind == .matrix)
        let values = try #require(result.series.first).points.map(\.value)
        let exact = (1...6).map { step in
            Double(fixture.data.requests.filter {
                $0.service == "cart" && $0.seconds >= FixtureHour.start + Int64(step - 1) * 600 && $0.seconds < FixtureHour.start + Int64(step) * 600
            }.count)
        }
        #expect(values == exact)
    }

    @Test("arithmetic, comparisons as filters, scalars, absent()")
    func operators() async throws {
        let fixture = try await EvaluatorFixture(flushed: true)
        let checkout = Double(fixture.data.requests.filter { $0.service == "checkout" }.count)
        #expect(try await fixture.instant(#"requests{service="checkout"}[1h] / 2 + 1"#) == [["service": "checkout"]: checkout / 2 + 1])
        #expect(try await fixture.instant(#"-requests{service="checkout"}[1h]"#) == [["service": "checkout"]: -checkout])
        let slow = try await fixture.instant("p95(latency[1h]) by (service) > 400ms")
        #expect(Set(slow.keys) == [["service": "checkout"], ["service": "cart"]])
        #expect(try await fixture.instant("p95(latency[1h]) by (service) > 2s").isEmpty)
        #expect(try await fixture.instant(#"error_rate{service="checkout"}[1h] > 0.1%"#).count == 1)
        #expect(try await fixture.instant(#"requests[1h] by (service) - requests[1h] by (service)"#).values.allSatisfy { $0 == 0 })

        let scalar = try await fixture.evaluator.instant(try QueryParser.parse("2s / 4"), at: EvaluatorFixture.end)
        #expect(scalar.kind == .scalar && scalar.series[0].points[0].value == 500)

        #expect(try await fixture.instant(#"absent(logs{service="inventory"}[5m])"#) == [["service": "inventory"]: 1])
        #expect(try await fixture.instant(#"absent(logs{service="cart"}[5m])"#).isEmpty)
        // After the data ends, the selector is absent.
        let later = Timestamp(nanoseconds: (FixtureHour.start + 7200) * 1_000_000_000)
        #expect(try await fixture.instant(#"absent(requests{service="cart"}[5m])"#, at: later) == [["service": "cart"]: 1])
        #expect(try await fixture.instant(#"p95(latency{service="cart"}[5m])"#, at: later).isEmpty)
    }

    @Test("a query's work is bounded: points per series and stored buckets per selector")
    func bounds() async throws {
        let fixture = try await EvaluatorFixture(flushed: true)
        let start = Timestamp(nanoseconds: 0)
        await #expect(throws: QueryError(at: nil, "11001 points per series exceed the maximum of 11000; use a larger step")) {
            try await fixture.evaluator.range(try QueryParser.parse("requests[1m]"), start: start, end: start.adding(nanoseconds: 11_000 * 1_000_000_000), step: .seconds(1))
        }
        await #expect(throws: QueryError(at: SourcePosition(line: 1, column: 1), "this would combine up to 8889000 stored buckets (at most 2000000); use a larger step or a shorter range")) {
            try await fixture.evaluator.range(try QueryParser.parse("requests[365d]"), start: start, end: start.adding(nanoseconds: 999 * 3_600_000_000_000), step: .seconds(3600))
        }
        // A day at a 1 m step with [5m] windows is far inside the bound.
        _ = try await fixture.evaluator.range(try QueryParser.parse("requests[5m]"), start: start, end: start.adding(nanoseconds: 86_400_000_000_000), step: .seconds(60))
    }

    @Test("evaluation errors say where and why", arguments: [
        ("p59(latency[5m])", "1:1: unknown function \"p59\" (functions: p50, p90, p95, p99, quantile, avg, min, max, count, rate, absent, anomaly, burn_rate, error_budget_remaining)"),
        ("latency[5m]", "1:1: latency needs a function: p50, p90, p95, p99, quantile(q, …), avg, min, max or count, e.g. p95(latency[5m])"),
        ("p95(latency)", "1:5: latency needs a range here, such as latency[5m]"),
        ("p95(requests[5m])", "1:5: p95 applies to latency, not requests"),
        ("rate(latency[5m])", "1:6: rate applies to requests, errors, logs, not latency"),
        (#"p95(latency{level="error"}[5m])"#, "1:13: latency has no label \"level\" (labels: service, route, method)"),
        ("p95(latency[5m]) by (level)", "1:5: cannot group latency by \"level\" (labels: service, route, method)"),
        ("quantile(1.5, latency[5m])", "1:10: quantile 1.5 is outside 0…1 (p99.9 is quantile(0.999, …))"),
        ("cpu[5m]", "1:1: unknown metric \"cpu\" (metrics: latency, requests, errors, error_rate, logs)"),
        ("p95(latency[5m], 2)", "1:1: p95 takes 1 argument, got 2"),
        ("anomaly()", "1:1: anomaly needs the expression to score first, e.g. anomaly(p95(latency[1m]) by (service), baseline=1h)"),
        ("anomaly(p95(latency[1m]), baseline=30s)", "1:36: baseline=30s must be between 1m and 7d"),
        ("anomaly(p95(latency[1m]), baseline=65s)", "1:36: baseline must be whole 10s steps (the sample step), such as 1h"),
        ("anomaly(p95(latency[1m]), baseline=up)", "1:36: baseline must be a duration such as 1h, not up"),
        ("anomaly(p95(latency[1m]), season=2d)", "1:34: season=2d is not none, 1d or 1w"),
        ("anomaly(p95(latency[1m]), season=hourly)", "1:34: season=hourly is not none, 1d or 1w"),
        ("anomaly(p95(latency[1m]), direction=sideways)", "1:37: direction=sideways is not up, down or both"),
        ("anomaly(p95(latency[1m]), window=1h)", "1:34: anomaly has no argument named \"window\" (arguments: baseline, season, direction, min_history)"),
        ("anomaly(p95(latency[1m]), 1h)", "1:27: anomaly takes one expression; name the other arguments (baseline, season, direction, min_history)"),
        ("anomaly(p95(latency[1m]), season=1d, season=1w)", "1:45: anomaly has season twice"),
        ("anomaly(p95(latency[1m]), min_history=60d)", "1:39: min_history=60d must be between 10s and 28d"),
        ("anomaly(anomaly(p95(latency[1m])))", "1:9: anomaly(…) cannot score another anomaly(…)"),
        ("anomaly(p95(latency[1m])) by (service)", "1:1: by (…) goes inside anomaly(…), e.g. anomaly(p95(latency[1m]) by (service))"),
        ("anomaly(2)", "1:9: anomaly needs series to score, not a number"),
        (#""x" + 1"#, "1:1: a string is only allowed as the value of a label matcher or a named argument"),
        ("(1 + 2) by (service)", "1:9: by (…) must follow a function of a selector or a selector, e.g. p95(latency[5m]) by (service)"),
        ("requests[2000d]", "1:1: a range of at most 1825d is allowed"),
    ])
    func errors(expression: String, message: String) async throws {
        let fixture = try await EvaluatorFixture(flushed: true)
        await #expect(throws: QueryError.self) { try await fixture.evaluator.instant(try QueryParser.parse(expression), at: EvaluatorFixture.end) }
        do {
            _ = try await fixture.evaluator.instant(try QueryParser.parse(expression), at: EvaluatorFixture.end)
        } catch {
            #expect(error.description == message)
        }
    }
}

@Suite("The and operator")
struct AndOperatorTests {
    @Test("keeps the left series whose labels have a value on the right, with the left values; conditions hold where both do")
    func semantics() async throws {
        let fixture = try await EvaluatorFixture(flushed: true)
        let checkout = fixture.data.requests.filter { $0.service == "checkout" }
        // Same labels on both sides: the left value.
        #expect(try await fixture.instant(#"requests{service="checkout"}[1h] and errors{service="checkout"}[1h]"#)
                == [["service": "checkout"]: Double(checkout.count)])
        // Different labels: nothing matches.
        #expect(try await fixture.instant(#"requests{service="checkout"}[1h] and requests{service="cart"}[1h]"#) == [:])
        // A right side that has no value (its filter dropped it) removes the left series.
        #expect(try await fixture.instant(#"requests[1h] by (service) and errors[1h] by (service) > 1000000"#) == [:])
        #expect(try await fixture.instant(#"requests[1h] by (service) and errors[1h] by (service) > 1"#).count == 2)
        // Numbers are refused.
        await #expect(throws: QueryError.self) { try await fixture.instant("requests[1h] and 1") }

        // As a condition: holds where both hold, value from the left, right labels matched exactly.
        let condition = try await fixture.evaluator.condition(
            try QueryParser.parse(#"requests[1h] by (service) > 100 and error_rate[1h] by (service) > 0.5"#), at: [EvaluatorFixture.end])
        #expect(condition.series.count == 2)
        #expect(condition.series.allSatisfy { $0.holds == [false] && $0.values.first != nil && $0.unknown == [false] })
        let both = try await fixture.evaluator.condition(
            try QueryParser.parse(#"requests[1h] by (service) > 100 and error_rate[1h] by (service) > 0"#), at: [EvaluatorFixture.end])
        #expect(both.series.allSatisfy { $0.holds == [true] })
        let values: Set<Double> = Set(both.series.compactMap { $0.values.first ?? nil })
        let expected: Set<Double> = [Double(checkout.count), Double(fixture.data.requests.count - checkout.count)]
        #expect(values == expected)
    }
}
