import Hummingbird
import ObsCore
import ObsQuery

/// `GET /api/v1/slos?at=&since=` (every SLO's SLI, budget and burn rates) and
/// `GET /api/v1/availability?since=&until=&by=&objective=` (requests, errors and minutes
/// over the allowance per service or route), answered from the same evaluator as queries.
struct SLOController: Sendable {
    let evaluator: QueryEvaluator
    let clock: any ObsClock

    func register(with router: Router<BasicRequestContext>) {
        router.get("/api/v1/slos") { request, _ in
            await answer(request) { get, now throws(QueryError) in try SLOReportRequest.slos(get, now: now) }
        }
        router.get("/api/v1/availability") { request, _ in
            await answer(request) { get, now throws(QueryError) in try SLOReportRequest.availability(get, now: now) }
        }
    }

    private func answer(
        _ request: Request, _ parse: ((String) -> String?, Timestamp) throws(QueryError) -> SLOReportRequest
    ) async -> Response {
        let parameters = FormParameters(request)
        do {
            let report = try parse({ parameters.get($0) }, clock.now())
            return JSONResponse.make(.ok, try await evaluator.report(report))
        } catch {
            return JSONResponse.queryError(error)
        }
    }
}
