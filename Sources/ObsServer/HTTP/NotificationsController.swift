import Foundation
import Hummingbird
import NIOCore
import ObsCore
import ObsNotify
import ObsQuery
import ObsStorage

/// Notifications over HTTP: `GET /api/v1/notifications` (the outbox and each delivery's
/// record), and silences: `GET /api/v1/silences`, `POST /api/v1/silences` (400 with the
/// reason for a bad matcher or a zero duration), `DELETE /api/v1/silences/{id}`.
struct NotificationsController: Sendable {
    let store: SQLiteNotificationStore
    let silences: SilenceBook
    static let maxSilenceBodyBytes = 64 << 10

    func register(with router: Router<BasicRequestContext>) {
        router.get("/api/v1/notifications") { request, _ -> Response in
            let parameters = FormParameters(request)
            switch NotificationQueryParameters.parse({ parameters.get($0) }, now: silences.now) {
            case .failure(let invalid):
                return JSONResponse.error(.badRequest, invalid.message)
            case .success(let query):
                do {
                    return JSONResponse.make(.ok, NotificationsJSON.notifications(try await store.entries(matching: query)))
                } catch {
                    return JSONResponse.error(.internalServerError, "\(error)")
                }
            }
        }
        router.get("/api/v1/silences") { request, _ -> Response in
            let parameters = FormParameters(request)
            do {
                let all = parameters.get("expired").map { $0 == "true" || $0 == "1" } ?? true
                let list = all ? try await silences.all() : try await silences.current()
                return JSONResponse.make(.ok, NotificationsJSON.silences(list, at: silences.now))
            } catch {
                return JSONResponse.error(.internalServerError, "\(error)")
            }
        }
        router.post("/api/v1/silences") { request, _ -> Response in
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: Self.maxSilenceBodyBytes)
            } catch {
                return JSONResponse.error(.contentTooLarge, "a silence body is at most \(Self.maxSilenceBodyBytes) bytes")
            }
            let now = silences.now
            let spec: SilenceRequest
            switch SilenceRequest.parse(Data(body.readableBytesView), now: now) {
            case .failure(let reason): return JSONResponse.error(.badRequest, reason.message)
            case .success(let parsed): spec = parsed
            }
            do {
                let silence = try await silences.add(matchers: spec.matchers, startsAt: spec.startsAt, endsAt: spec.endsAt,
                                                     comment: spec.comment, author: spec.author)
                return JSONResponse.make(.ok, NotificationsJSON.silence(silence, at: now))
            } catch let error as SilenceBook.AddError {
                switch error {
                case .invalid(let reason): return JSONResponse.error(.badRequest, reason)
                case .storage(let failure): return JSONResponse.error(.internalServerError, "\(failure)")
                }
            } catch {
                return JSONResponse.error(.internalServerError, "\(error)")
            }
        }
        router.delete("/api/v1/silences/{id}") { _, context -> Response in
            guard let id = context.parameters.get("id") else { return JSONResponse.error(.badRequest, "a silence id is required") }
            do {
                guard let silence = try await silences.expire(id: id) else {
                    return JSONResponse.error(.notFound, "no silence with id \"\(id)\"")
                }
                return JSONResponse.make(.ok, NotificationsJSON.silence(silence, at: silences.now))
            } catch {
                return JSONResponse.error(.internalServerError, "\(error)")
            }
        }
    }
}

/// `POST /api/v1/silences`'s body: `{"matchers":["service=checkout", …], "starts_at"?, and
/// either "ends_at" or "duration" ("2h"), "comment", "author"}`.
struct SilenceRequest: Sendable {
    var matchers: [String]
    var startsAt: Timestamp?
    var endsAt: Timestamp
    var comment: String
    var author: String

    static func parse(_ body: Data, now: Timestamp) -> Result<SilenceRequest, LogQueryParameters.Invalid> {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            return .failure(.init(message: "the body must be a JSON object with \"matchers\" and \"duration\" or \"ends_at\""))
        }
        guard let matchers = object["matchers"] as? [String], !matchers.isEmpty else {
            return .failure(.init(message: "matchers: a non-empty list of matcher strings is required (e.g. [\"service=checkout\"])"))
        }
        var startsAt: Timestamp?
        if let text = object["starts_at"] as? String {
            guard let time = Timestamp.parseQueryTime(text, now: now) else {
                return .failure(.init(message: "starts_at: \"\(text)\" is not a time"))
            }
            startsAt = time
        }
        let start = startsAt ?? now
        let endsAt: Timestamp
        if let text = object["ends_at"] as? String {
            guard let time = (try? Timestamp.parse(text).get()) ?? Double(text).flatMap({ try? Timestamp.fromEpoch(double: $0).get() }) else {
                return .failure(.init(message: "ends_at: \"\(text)\" is not a time (RFC 3339 or epoch seconds)"))
            }
            endsAt = time
        } else if let text = object["duration"] as? String {
            guard let duration = DurationText.duration(text) else {
                return .failure(.init(message: "duration: \"\(text)\" is not a duration (e.g. 30m, 2h)"))
            }
            guard duration > .zero else {
                return .failure(.init(message: "duration: a silence must last longer than 0s"))
            }
            endsAt = start.adding(nanoseconds: duration.totalNanoseconds)
        } else {
            return .failure(.init(message: "either \"duration\" (e.g. \"2h\") or \"ends_at\" is required"))
        }
        let comment = object["comment"] as? String ?? ""
        let author = object["author"] as? String ?? ""
        return .success(SilenceRequest(matchers: matchers, startsAt: start, endsAt: endsAt, comment: comment, author: author))
    }
}
