import Hummingbird
import ObsCore
import ObsStorage

/// `GET /api/v1/traces/{id}`: the trace's spans in tree order and the logs that carry its id.
/// `GET /api/v1/traces`: recent traces, one summary each (service, min_duration, error,
/// since, until, limit). `GET /api/v1/services`: the service graph (since, until).
struct TracesController: Sendable {
    let reader: any TraceReader

    func register(with router: Router<BasicRequestContext>) {
        router.get("/api/v1/traces/:id") { _, context in
            await trace(context.parameters.get("id") ?? "")
        }
        router.get("/api/v1/traces") { request, _ in
            await list(request)
        }
        router.get("/api/v1/services") { request, _ in
            await services(request)
        }
    }

    func services(_ request: Request) async -> Response {
        let parameters = FormParameters(request)
        let bounds: (since: Timestamp?, until: Timestamp?)
        switch LogQueryParameters.timeBounds({ parameters.get($0) }, now: Timestamp.now()) {
        case .success(let parsed): bounds = parsed
        case .failure(let invalid): return JSONResponse.error(.badRequest, invalid.message)
        }
        do {
            return JSONResponse.make(.ok, try await reader.services(since: bounds.since, until: bounds.until).jsonList)
        } catch {
            return JSONResponse.error(.internalServerError, "\(error)")
        }
    }

    func list(_ request: Request) async -> Response {
        let parameters = FormParameters(request)
        let query: TraceQuery
        switch TraceQueryParameters.parse({ parameters.get($0) }, now: Timestamp.now()) {
        case .success(let parsed): query = parsed
        case .failure(let invalid): return JSONResponse.error(.badRequest, invalid.message)
        }
        do {
            return JSONResponse.make(.ok, try await reader.traces(matching: query).jsonList)
        } catch {
            return JSONResponse.error(.internalServerError, "\(error)")
        }
    }

    func trace(_ id: String) async -> Response {
        guard [16, 32].contains(id.utf8.count), id.isHexDigits else {
            return JSONResponse.error(.badRequest, "trace id \"\(id)\" is not 32 (or 16) hex characters")
        }
        do {
            let (spans, logs) = try await reader.trace(id: id)
            guard !spans.isEmpty || !logs.isEmpty else {
                return JSONResponse.error(.notFound, "no spans or logs carry trace id \(id.lowercased())")
            }
            return JSONResponse.make(.ok, TraceTree.json(traceID: id.lowercased(), tree: TraceTree(spans: spans), logs: logs))
        } catch {
            return JSONResponse.error(.internalServerError, "\(error)")
        }
    }
}
