import Hummingbird
import ObsCore
import ObsStorage

/// `GET /api/v1/traces/{id}`: the trace's spans in tree order and the logs that carry its id.
struct TracesController: Sendable {
    let reader: any TraceReader

    func register(with router: Router<BasicRequestContext>) {
        router.get("/api/v1/traces/:id") { _, context in
            await trace(context.parameters.get("id") ?? "")
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
