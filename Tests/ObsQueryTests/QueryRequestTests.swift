import ObsCore
import ObsQuery
import Testing

@Suite("Query requests from API parameters and CLI flags")
struct QueryRequestTests {
    let now = Timestamp(nanoseconds: 1_800_000_123_000_000_000)

    func parameters(_ values: [String: String]) -> (String) -> String? {
        { values[$0] }
    }

    @Test("instant: expr or Prometheus' query, time defaults to now")
    func instant() throws {
        #expect(try QueryRequest.instant(parameters(["expr": "requests[5m]"]), now: now) == QueryRequest(expression: "requests[5m]", evaluation: .instant(now)))
        #expect(try QueryRequest.instant(parameters(["query": "requests[5m]", "time": "1800000000"]), now: now).evaluation
                == .instant(Timestamp(nanoseconds: 1_800_000_000_000_000_000)))
        #expect(throws: QueryError(at: nil, "expr: missing (e.g. expr=p95(latency[5m]) by (service))")) {
            try QueryRequest.instant(parameters(["expr": "  "]), now: now)
        }
        #expect(throws: QueryError(at: nil, "time: \"yesterday\" is not a time (RFC 3339, epoch seconds, or a duration ago such as 15m)")) {
            try QueryRequest.instant(parameters(["expr": "requests[5m]", "time": "yesterday"]), now: now)
        }
    }

    @Test("range: start required, end defaults to now, step as a duration or seconds, or about 240 points")
    func range() throws {
        let hourAgo = now.adding(nanoseconds: -3_600_000_000_000)
        #expect(try QueryRequest.range(parameters(["expr": "x[1m]", "start": "1h", "step": "60"]), now: now).evaluation
                == .range(start: hourAgo, end: now, step: .seconds(60)))
        #expect(try QueryRequest.range(parameters(["expr": "x[1m]", "start": "1h", "step": "30s"]), now: now).evaluation
                == .range(start: hourAgo, end: now, step: .seconds(30)))
        #expect(try QueryRequest.range(parameters(["expr": "x[1m]", "start": "1h"]), now: now).evaluation
                == .range(start: hourAgo, end: now, step: .seconds(20)))
        #expect(throws: QueryError(at: nil, "start: missing (RFC 3339, epoch seconds, or a duration ago such as 1h)")) {
            try QueryRequest.range(parameters(["expr": "x[1m]"]), now: now)
        }
        #expect(throws: QueryError(at: nil, "step: \"0.5\" is not a duration of at least 1s (e.g. 10s, 1m, or 60)")) {
            try QueryRequest.range(parameters(["expr": "x[1m]", "start": "1h", "step": "0.5"]), now: now)
        }
    }

    @Test("aligned to the step: start and end move back to step boundaries")
    func aligned() {
        let request = QueryRequest(expression: "x[1m]", evaluation: .range(
            start: Timestamp(nanoseconds: 1_800_000_045_500_000_000), end: Timestamp(nanoseconds: 1_800_003_659_000_000_000), step: .seconds(60)))
        #expect(request.alignedToStep.evaluation == .range(
            start: Timestamp(nanoseconds: 1_800_000_000_000_000_000), end: Timestamp(nanoseconds: 1_800_003_600_000_000_000), step: .seconds(60)))
        #expect(QueryRequest.defaultStep(from: Timestamp(nanoseconds: 0), to: Timestamp(nanoseconds: 3_600_000_000_000), points: 60) == .seconds(60))
    }
}
