import Foundation
import Hummingbird
import NIOCore
import ObsCore
import ObsIncidents
import ObsStorage

/// Incidents over HTTP: `GET /api/v1/incidents?state=&service=&since=&until=&limit=`,
/// `GET /api/v1/incidents/{id}` (with its timeline), `POST /api/v1/incidents/{id}/ack`,
/// `…/resolve` and `…/notes` (JSON body `{"by","text","source"}`, `by` also as a query
/// parameter), and `GET /api/v1/mttr?since=90d&by=service|week`.
struct IncidentsController: Sendable {
    let store: SQLiteIncidentStore
    let desk: IncidentDesk
    let clock: any ObsClock
    let externalURL: String
    /// A note's limit plus room for the rest of the body: a larger body is refused unread.
    static let maxBodyBytes = IncidentError.maximumNoteBytes + 4096

    func register(with router: Router<BasicRequestContext>) {
        router.get("/api/v1/incidents") { request, _ -> Response in
            let parameters = FormParameters(request)
            var query = IncidentQuery(state: parameters.get("state"), service: parameters.get("service"))
            if let state = query.state, IncidentState(rawValue: state) == nil {
                return JSONResponse.error(.badRequest, "state \"\(state)\" is not one of open, acknowledged, resolved")
            }
            do throws(BadParameter) {
                query.since = try time(parameters.get("since"), "since")
                query.until = try time(parameters.get("until"), "until")
                if let limit = parameters.get("limit") {
                    guard let value = Int(limit), value > 0 else { throw BadParameter(message: "limit \"\(limit)\" is not a positive integer") }
                    query.limit = value
                }
            } catch {
                return JSONResponse.error(.badRequest, error.message)
            }
            do {
                let incidents = try await store.incidents(matching: query)
                var json = JSONWriter(capacity: 1024 * (incidents.count + 1))
                json.beginObject()
                json.key("incidents")
                json.beginArray()
                for incident in incidents { IncidentJSON.write(incident, externalURL: externalURL, to: &json) }
                json.endArray()
                json.endObject()
                return JSONResponse.make(.ok, json)
            } catch {
                return JSONResponse.error(.internalServerError, "\(error)")
            }
        }
        router.get("/api/v1/incidents/{id}") { request, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self) else {
                return JSONResponse.error(.badRequest, "an incident id is a number")
            }
            do {
                guard let found = try await store.incident(id) else {
                    return JSONResponse.error(.notFound, IncidentError.notFound(id).description)
                }
                return answer(found.incident, timeline: found.timeline)
            } catch {
                return JSONResponse.error(.internalServerError, "\(error)")
            }
        }
        router.post("/api/v1/incidents/{id}/ack") { request, context -> Response in
            await act(request, context) { id, action throws(IncidentError) in
                try await desk.acknowledge(id, by: action.by, source: action.source)
            }
        }
        router.post("/api/v1/incidents/{id}/resolve") { request, context -> Response in
            await act(request, context) { id, action throws(IncidentError) in
                try await desk.resolve(id, by: action.by, source: action.source, text: action.text)
            }
        }
        router.post("/api/v1/incidents/{id}/notes") { request, context -> Response in
            await act(request, context) { id, action throws(IncidentError) in
                try await desk.note(id, text: action.text, by: action.by, source: action.source)
            }
        }
        router.get("/api/v1/mttr") { request, _ -> Response in
            let parameters = FormParameters(request)
            let grouping: MTTRReport.Grouping
            let since: Timestamp?
            do throws(BadParameter) {
                let by = parameters.get("by") ?? "service"
                guard let parsed = MTTRReport.Grouping(rawValue: by) else { throw BadParameter(message: "by \"\(by)\" is not service or week") }
                grouping = parsed
                since = try time(parameters.get("since") ?? "90d", "since")
            } catch {
                return JSONResponse.error(.badRequest, error.message)
            }
            do {
                let incidents = try await store.incidents(matching: IncidentQuery(since: since, limit: IncidentQuery.maximumLimit))
                var json = JSONWriter(capacity: 1024)
                IncidentJSON.write(MTTRReport(incidents, by: grouping), to: &json)
                return JSONResponse.make(.ok, json)
            } catch {
                return JSONResponse.error(.internalServerError, "\(error)")
            }
        }
    }

    private struct BadParameter: Error {
        let message: String
    }

    private struct Action: Sendable {
        var by = "anonymous"
        var text = ""
        var source = "api"
    }

    private func time(_ text: String?, _ name: String) throws(BadParameter) -> Timestamp? {
        guard let text else { return nil }
        guard let time = Timestamp.parseQueryTime(text, now: clock.now()) else {
            throw BadParameter(message: "\(name) \"\(text)\" is not a time (RFC 3339, epoch seconds or a duration ago like 90d)")
        }
        return time
    }

    private func answer(_ incident: IncidentRecord, timeline: [IncidentEventRecord]?) -> Response {
        var json = JSONWriter(capacity: 4096)
        IncidentJSON.write(incident, timeline: timeline, externalURL: externalURL, to: &json)
        return JSONResponse.make(.ok, json)
    }

    private func act(_ request: Request, _ context: BasicRequestContext,
                     _ perform: @Sendable (Int64, Action) async throws(IncidentError) -> IncidentRecord) async -> Response {
        guard let id = context.parameters.get("id", as: Int64.self) else {
            return JSONResponse.error(.badRequest, "an incident id is a number")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxBodyBytes)
        } catch {
            return JSONResponse.error(.contentTooLarge, IncidentError.noteTooLarge(Self.maxBodyBytes).description)
        }
        var action = Action()
        if body.readableBytes > 0 {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] else {
                return JSONResponse.error(.badRequest, "the body is not a JSON object like {\"by\":\"ana\",\"text\":\"…\"}")
            }
            if let by = object["by"] as? String, !by.isEmpty { action.by = by }
            if let text = object["text"] as? String { action.text = text }
            if let source = object["source"] as? String, !source.isEmpty { action.source = source }
        }
        if let by = FormParameters(request).get("by"), !by.isEmpty { action.by = by }
        do {
            let incident = try await perform(id, action)
            return answer(incident, timeline: try await store.incident(id)?.timeline)
        } catch let error as IncidentError {
            switch error {
            case .notFound: return JSONResponse.error(.notFound, error.description)
            case .conflict: return JSONResponse.error(.conflict, error.description)
            case .noteTooLarge: return JSONResponse.error(.contentTooLarge, error.description)
            case .invalid: return JSONResponse.error(.badRequest, error.description)
            case .store: return JSONResponse.error(.internalServerError, error.description)
            }
        } catch {
            return JSONResponse.error(.internalServerError, "\(error)")
        }
    }
}
