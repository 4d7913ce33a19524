import Foundation
import ObsAggregate
import ObsCore
import ObsStorage
import Testing

@Suite("Event-time buckets and rollups")
struct EventTimeAggregatorTests {
    let route = RollupSeriesKey.requests(service: "checkout", route: "/pay", method: "POST")

    @Test("out-of-order records land in their own 10 s buckets, and minute/hour rows hold their sum")
    func outOfOrder() async throws {
        let fixture = try AggregationFixture()
        defer { fixture.close() }
        let aggregator = EventTimeAggregator()
        aggregator.observe(logs: [request(1_000_015, ms: 30), request(1_000_001, ms: 10), request(1_000_019, ms: 20), request(1_000_005, ms: 40)],
                           spans: [], now: at(1_000_020))
        // Bucket 1_000_010 closes at 1_000_010 + 10 + 30 s grace.
        // Each bucket holds three series: the route, the service, and the logs of level info.
        #expect(try await fixture.flush(aggregator, at: 1_000_049) == 3)
        #expect(try await fixture.flush(aggregator, at: 1_000_050) == 3)

        let tenSeconds = try await fixture.rows(route, resolution: 10)
        #expect(tenSeconds[1_000_000]?.count == 2)
        #expect(tenSeconds[1_000_000]?.sumMs == 50)
        #expect(tenSeconds[1_000_010]?.count == 2)
        #expect(tenSeconds[1_000_010]?.minMs == 20)
        #expect(tenSeconds[1_000_010]?.maxMs == 30)
        let minutes = try await fixture.rows(route, resolution: 60)
        #expect(minutes[999_960]?.count == 4)
        #expect(minutes[999_960]?.sumMs == 100)
        let hours = try await fixture.rows(route, resolution: 3600)
        #expect(hours[997_200]?.count == 4)
        let sketch = try LatencySketch(decoding: try #require(hours[997_200]?.sketch))
        #expect(sketch.count == 4 && sketch.min == 10 && sketch.max == 40)
        let service = try await fixture.rows(.serviceRequests(service: "checkout"), resolution: 60)
        #expect(service[999_960]?.count == 4)
    }

    @Test("records within the grace period join the open bucket; later ones merge into the stored row")
    func lateRecords() async throws {
        let fixture = try AggregationFixture()
        defer { fixture.close() }
        let aggregator = EventTimeAggregator(configuration: .init(grace: .seconds(30)))
        aggregator.observe(logs: [request(1_000_001, ms: 10)], spans: [], now: at(1_000_002))
        #expect(try await fixture.flush(aggregator, at: 1_000_039) == 0) // still within grace
        aggregator.observe(logs: [request(1_000_003, ms: 20, status: 500)], spans: [], now: at(1_000_039))
        #expect(aggregator.counters.lateRecords.load(ordering: .relaxed) == 0)
        #expect(try await fixture.flush(aggregator, at: 1_000_040) == 4) // route, service, info logs, error logs
        #expect(try await fixture.rows(route, resolution: 10)[1_000_000]?.count == 2)

        // Closed and stored: a record now is late, and is merged, not dropped.
        aggregator.observe(logs: [request(1_000_009, ms: 1000)], spans: [], now: at(1_000_100))
        #expect(aggregator.counters.lateRecords.load(ordering: .relaxed) == 1)
        #expect(try await fixture.flush(aggregator, at: 1_000_101) == 3)
        let row = try #require(try await fixture.rows(route, resolution: 10)[1_000_000])
        #expect(row.count == 3)
        #expect(row.errors == 1)
        #expect(row.maxMs == 1000)
        let merged = try LatencySketch(decoding: try #require(row.sketch))
        #expect(merged.count == 3)
        #expect(merged.max == 1000)
        #expect(try await fixture.rows(route, resolution: 3600)[997_200]?.count == 3)
    }

    @Test("a restart loses no bucket and counts nothing twice")
    func restart() async throws {
        let fixture = try AggregationFixture()
        defer { fixture.close() }
        let first = EventTimeAggregator()
        first.observe(logs: [request(1_000_001), request(1_000_011), request(1_000_021)], spans: [], now: at(1_000_022))
        try await fixture.flush(first, at: 1_000_051)           // bucket …000 closed and stored
        try await fixture.flush(first, at: 1_000_052, everything: true) // shutdown: the open ones too

        let second = EventTimeAggregator(
            knownSeries: try await fixture.store.series(kind: .requests).map(\.key),
            committedGeneration: try await fixture.store.committedState().generation
        )
        second.observe(logs: [request(1_000_022), request(1_000_031)], spans: [], now: at(1_000_060))
        try await fixture.flush(second, at: 1_000_200)
        let rows = try await fixture.rows(route, resolution: 10)
        #expect(rows.mapValues(\.count) == [1_000_000: 1, 1_000_010: 1, 1_000_020: 2, 1_000_030: 1])
        #expect(try await fixture.rows(route, resolution: 60).mapValues(\.count) == [999_960: 2, 1_000_020: 3])
        #expect(try await fixture.store.committedState().generation == 3)
    }

    @Test("beyond limits.series a service's new routes fold into route=\"other\", counted")
    func seriesLimit() async throws {
        let fixture = try AggregationFixture()
        defer { fixture.close() }
        let aggregator = EventTimeAggregator(configuration: .init(seriesPerService: 2))
        aggregator.observe(logs: [
            request(1_000_001, route: "/a"), request(1_000_001, route: "/b"), request(1_000_002, route: "/c"),
            request(1_000_003, route: "/d"), request(1_000_004, route: "/a"), request(1_000_005, service: "cart", route: "/c"),
        ], spans: [], now: at(1_000_005))
        try await fixture.flush(aggregator, at: 1_000_100)
        let series = try await fixture.store.series(kind: .requests).map { "\($0.key.service) \($0.key.route)" }.sorted()
        #expect(series == ["cart /c", "checkout /a", "checkout /b", "checkout other"])
        #expect(try await fixture.rows(.requests(service: "checkout", route: "other", method: ""), resolution: 10)[1_000_000]?.count == 2)
        #expect(aggregator.counters.foldedObservations.load(ordering: .relaxed) == 2)

        // The limit holds across a restart: it is seeded from the stored series.
        let restarted = EventTimeAggregator(configuration: .init(seriesPerService: 2),
                                            knownSeries: try await fixture.store.series(kind: .requests).map(\.key))
        restarted.observe(logs: [request(1_000_201, route: "/e")], spans: [], now: at(1_000_201))
        #expect(restarted.counters.foldedObservations.load(ordering: .relaxed) == 1)
    }

    @Test("beyond limits.services new services are counted as service=\"other\"")
    func serviceLimit() async throws {
        let fixture = try AggregationFixture()
        defer { fixture.close() }
        let aggregator = EventTimeAggregator(configuration: .init(maxServices: 2))
        aggregator.observe(logs: [
            request(1_000_001, service: "a"), request(1_000_001, service: "b"), request(1_000_002, service: "req-81f3"),
            request(1_000_003, service: "req-77c1"), request(1_000_004, service: "a"),
        ], spans: [], now: at(1_000_005))
        try await fixture.flush(aggregator, at: 1_000_100)
        let services = try await fixture.store.series(kind: .serviceRequests).map(\.key.service).sorted()
        #expect(services == ["a", "b", "other"])
        #expect(try await fixture.rows(.serviceRequests(service: "other"), resolution: 10)[1_000_000]?.count == 2)
        #expect(try await fixture.rows(.logs(service: "other", level: "info"), resolution: 10)[1_000_000]?.count == 2)
        #expect(aggregator.counters.foldedObservations.load(ordering: .relaxed) == 2)
    }

    @Test("request logs count once: auto skips those with a span id while the service sends spans")
    func requestLogPolicy() async throws {
        for (policy, expected) in [(RequestLogPolicy.auto, 3), (.always, 4), (.never, 1)] {
            let fixture = try AggregationFixture()
            defer { fixture.close() }
            let aggregator = EventTimeAggregator(configuration: .init(requestLogs: policy))
            aggregator.observe(
                logs: [request(1_000_001, spanID: "00f067aa0ba902b7"), request(1_000_002), request(1_000_003, service: "cart", spanID: "00f067aa0ba902b7")],
                spans: [serverSpan(1_000_001, attributes: #"{"http.route":"/pay","http.request.method":"POST"}"#)],
                now: at(1_000_005)
            )
            try await fixture.flush(aggregator, at: 1_000_100)
            let checkout = try await fixture.rows(.serviceRequests(service: "checkout"), resolution: 10)[1_000_000]?.count ?? 0
            let cart = try await fixture.rows(.serviceRequests(service: "cart"), resolution: 10)[1_000_000]?.count ?? 0
            #expect(checkout + cart == Int64(expected), "policy \(policy)")
            // Every log line counts in the logs series whatever the policy.
            #expect(try await fixture.rows(.logs(service: "checkout", level: "info"), resolution: 10)[1_000_000]?.count == 2)
        }
    }

    @Test("spans: server, consumer and root spans are requests; route, method and errors from attributes")
    func spanObservations() throws {
        let attributes = #"{"http.request.method":"GET","nested":{"http.route":"/wrong"},"http.route":"/items/{id}","http.response.status_code":503}"#
        let observation = try #require(RequestObservation(span: serverSpan(1, attributes: attributes)))
        #expect(observation.route == "/items/{id}")
        #expect(observation.method == "GET")
        #expect(observation.isError)
        let legacy = try #require(RequestObservation(span: serverSpan(1, attributes: #"{"http.method": "PUT", "http.status_code": "404"}"#)))
        #expect(legacy.route == "POST /pay" && legacy.method == "PUT" && !legacy.isError)
        #expect(RequestObservation(span: serverSpan(1, status: .error))?.isError == true)

        var client = serverSpan(1)
        client.kind = .client
        #expect(RequestObservation(span: client) == nil)
        client.parentSpanID = nil
        #expect(RequestObservation(span: client) != nil, "a root span is a request whatever its kind")
        var consumer = serverSpan(1)
        consumer.kind = .consumer
        #expect(RequestObservation(span: consumer) != nil)
    }

    @Test("a query counts each bucket once while a flush is in flight and after it commits")
    func querySnapshotConsistency() async throws {
        let fixture = try AggregationFixture()
        defer { fixture.close() }
        let aggregator = EventTimeAggregator()
        let source = RollupQuerySource(reader: fixture.store, aggregator: aggregator)
        aggregator.observe(logs: [request(1_000_001), request(1_000_011)], spans: [], now: at(1_000_012))

        func total() async throws -> Int64 {
            let catalog = try await source.series(kind: .requests)
            let data = try await source.load(series: catalog, ranges: [RollupRange(resolution: 10, from: 0, through: .max)],
                                             unflushedFrom: 0, unflushedThrough: .max, withSketches: false)
            return data.stored.values.joined().reduce(0) { $0 + $1.count } + data.unflushed.values.joined().reduce(0) { $0 + $1.cell.count }
        }
        #expect(try await total() == 2) // all in memory
        let pending = try #require(aggregator.beginFlush(now: at(1_000_045)))
        #expect(try await total() == 2) // one bucket in flight, not stored yet
        try await fixture.store.add(pending.deltas, generation: pending.generation, watermark: pending.watermark)
        #expect(try await total() == 2) // stored, still marked in flight
        aggregator.finishFlush(pending, committed: true)
        #expect(try await total() == 2)

        // A series listed while only in memory and written before its rows are read: its
        // rows are found in the same snapshot that shows the flush.
        aggregator.observe(logs: [request(1_000_101, route: "/new")], spans: [], now: at(1_000_102))
        let listed = try await source.series(kind: .requests)
        try await fixture.flush(aggregator, at: 1_000_200)
        let data = try await source.load(series: listed, ranges: [RollupRange(resolution: 10, from: 0, through: .max)],
                                         unflushedFrom: 0, unflushedThrough: .max, withSketches: false)
        #expect(data.stored[.requests(service: "checkout", route: "/new", method: "POST")]?.first?.count == 1)
        #expect(data.unflushed.isEmpty)
    }

    @Test("retention deletes each resolution's old buckets and nothing else")
    func rollupRetention() async throws {
        let fixture = try AggregationFixture()
        defer { fixture.close() }
        let aggregator = EventTimeAggregator()
        aggregator.observe(logs: [request(1_000_001), request(1_003_601), request(1_007_201)], spans: [], now: at(1_007_202))
        try await fixture.flush(aggregator, at: 1_007_202, everything: true)
        // Route, service and log series: three rows per bucket.
        #expect(try await fixture.database.deleteRollups(resolution: 10, olderThan: 1_007_200) == 6)
        #expect(try await fixture.database.deleteRollups(resolution: 3600, olderThan: 1_000_000) == 3) // the hour from 997,200
        #expect(try await fixture.rows(route, resolution: 10).keys.sorted() == [1_007_200])
        #expect(try await fixture.rows(route, resolution: 60).keys.sorted() == [999_960, 1_003_560, 1_007_160])
        #expect(try await fixture.rows(route, resolution: 3600).keys.sorted() == [1_000_800, 1_004_400])
    }

    @Test("records far outside the clock are stored but not aggregated")
    func outOfRange() {
        let aggregator = EventTimeAggregator(configuration: .init(maxAge: .seconds(3600), maxAhead: .seconds(600)))
        aggregator.observe(logs: [request(1_000_000 - 3601), request(1_000_000 + 601), request(1_000_000)], spans: [], now: at(1_000_000))
        #expect(aggregator.counters.outOfRangeRecords.load(ordering: .relaxed) == 2)
        #expect(aggregator.counters.observations.load(ordering: .relaxed) == 1)
    }

    @Test("a query's snapshot finds the same cells by lookup (few series, short range) as by walking every cell; the series in memory follow new series and flushes")
    func snapshotsAndSeriesInMemory() async throws {
        let fixture = try AggregationFixture()
        defer { fixture.close() }
        let aggregator = EventTimeAggregator()
        var logs: [LogRecord] = []
        for bucket in 0..<6 {
            for route in 0..<20 { logs.append(request(Int64(1000 + bucket * 10), route: "/r\(route)")) }
        }
        aggregator.observe(logs: logs, spans: [], now: at(1060))
        let one = RollupSeriesKey.requests(service: "checkout", route: "/r3", method: "POST")
        let all = Set((0..<20).map { RollupSeriesKey.requests(service: "checkout", route: "/r\($0)", method: "POST") })

        let short = aggregator.snapshot(series: [one], from: 1005, through: 1039)
        #expect(short.open.map(\.bucketStart).sorted() == [1010, 1020, 1030])
        #expect(short.open.allSatisfy { $0.series == one && $0.cell.count == 1 })
        let wide = aggregator.snapshot(series: all, from: 0, through: 100_000)
        #expect(wide.open.count == 120)
        #expect(wide.open.filter { $0.series == one }.map(\.bucketStart).sorted() == [1000, 1010, 1020, 1030, 1040, 1050])

        #expect(aggregator.unflushedSeries(kind: .requests) == all)
        #expect(aggregator.unflushedSeries(kind: .serviceRequests) == [.serviceRequests(service: "checkout")])
        aggregator.observe(logs: [request(1055, route: "/new")], spans: [], now: at(1060))
        #expect(aggregator.unflushedSeries(kind: .requests).count == 21)
        // Buckets that end by 1030 close at 1060 (grace 30 s): the series stay in memory.
        try await fixture.flush(aggregator, at: 1060)
        #expect(aggregator.unflushedSeries(kind: .requests).count == 21)
        #expect(aggregator.snapshot(series: [one], from: 1000, through: 1059).open.map(\.bucketStart).sorted() == [1030, 1040, 1050])
        try await fixture.flush(aggregator, at: 2000, everything: true)
        #expect(aggregator.unflushedSeries(kind: .requests).isEmpty)
    }
}
