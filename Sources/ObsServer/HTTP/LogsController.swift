import Hummingbird
import ObsCore
import ObsStorage

/// `GET /api/v1/logs`: stored logs, newest first, filtered by service, minimum level,
/// full-text `q`, `trace_id`, `since`, `until`, `limit`.
struct LogsController: Sendable {
    let reader: any LogReader

    func register(with router: Router<BasicRequestContext>) {
        router.get("/api/v1/logs") { request, _ in await listLogs(request) }
    }

    func listLogs(_ request: Request) async -> Response {
        let parameters = FormParameters(request)
        let query: LogQuery
        switch LogQueryParameters.parse({ parameters.get($0) }, now: Timestamp.now()) {
        case .success(let parsed): query = parsed
        case .failure(let error): return JSONResponse.error(.badRequest, error.message)
        }
        do {
            return JSONResponse.make(.ok, try await reader.logs(matching: query).jsonList)
        } catch {
            return JSONResponse.error(.internalServerError, "\(error)")
        }
    }
}
