import Hummingbird
import ObsCore
import ObsQuery

/// `GET /api/v1/query?expr=&time=` and `GET /api/v1/query_range?expr=&start=&end=&step=`:
/// the expression language over rollups and the aggregator's open buckets, answered in
/// Prometheus' JSON shape; a bad expression is a 400 whose `error` says where and why.
struct QueryController: Sendable {
    let evaluator: QueryEvaluator
    let clock: any ObsClock

    func register(with router: Router<BasicRequestContext>) {
        router.get("/api/v1/query") { request, _ in
            await answer(request) { get, now throws(QueryError) in try QueryRequest.instant(get, now: now) }
        }
        router.get("/api/v1/query_range") { request, _ in
            await answer(request) { get, now throws(QueryError) in try QueryRequest.range(get, now: now) }
        }
    }

    private func answer(
        _ request: Request, _ parse: ((String) -> String?, Timestamp) throws(QueryError) -> QueryRequest
    ) async -> Response {
        let parameters = FormParameters(request)
        do {
            let query = try parse({ parameters.get($0) }, clock.now())
            return JSONResponse.make(.ok, try await evaluator.run(query).prometheusJSON)
        } catch {
            return JSONResponse.queryError(error)
        }
    }
}
