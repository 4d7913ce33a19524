import Hummingbird
import Logging
import NIOCore
import ObsCore
import ObsIngest

/// `POST /v1/traces` and `POST /v1/logs`: the OTLP/HTTP receiver, JSON encoding.
///
/// Answers as the OTLP specification says: 200 with an empty export response (or
/// `partialSuccess` naming how many records were rejected and why), 400 with a
/// `google.rpc.Status` for a request that cannot be decoded, 415 for other content types,
/// 429/503 with `Retry-After` when obs cannot take the records now.
struct OTLPController: Sendable {
    let queue: IngestQueue
    let bodyReader: RequestBodyReader
    let metrics: ObsMetrics
    let logger: Logger

    func register(with router: Router<BasicRequestContext>) {
        let decoder = OTLPJSONDecoder()
        router.post("/v1/traces") { request, _ in
            await export(request, rejectedField: "rejectedSpans") { (body: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) in
                try decoder.decodeTraces(body)
            } submit: { spans in
                try await queue.submit(spans: spans)
            }
        }
        router.post("/v1/logs") { request, _ in
            await export(request, rejectedField: "rejectedLogRecords") { (body: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) in
                try decoder.decodeLogs(body, receivedAt: Timestamp.now())
            } submit: { logs in
                try await queue.submit(logs: logs)
            }
        }
    }

    func export<Record: Sendable>(
        _ request: Request, rejectedField: String,
        decode: (UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> OTLPOutcome<Record>,
        submit: ([Record]) async throws -> Void
    ) async -> Response {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard mediaType == "application/json" else {
            let note = mediaType == "application/x-protobuf" ? "; OTLP protobuf is not supported by this version of obs yet" : ""
            return Self.status(.unsupportedMediaType, code: 3,
                               "content type \"\(mediaType)\" is not supported; send application/json\(note)")
        }
        let body: ByteBuffer
        do {
            body = try await bodyReader.read(request)
        } catch let failure as RequestBodyReader.Failure {
            switch failure {
            case .tooLarge(let limit, let decompressed):
                metrics.bodiesTooLarge.increment()
                return Self.status(.contentTooLarge, code: 8,
                    "the body is larger than the \(limit)-byte limit\(decompressed ? " once decompressed" : "") (limits.max_body_bytes)")
            case .unsupportedEncoding(let encoding):
                return Self.status(.unsupportedMediaType, code: 3, "content encoding \"\(encoding)\" is not supported; use gzip or none")
            case .invalidCompression(let reason):
                return Self.status(.badRequest, code: 3, "the body could not be decompressed: \(reason)")
            }
        } catch {
            return Self.status(.badRequest, code: 3, "the body could not be read: \(error)")
        }
        let decoded = body.withUnsafeReadableBytes { raw -> Result<OTLPOutcome<Record>, JSONSyntaxError> in
            do throws(JSONSyntaxError) {
                return .success(try decode(raw.assumingMemoryBound(to: UInt8.self)))
            } catch {
                return .failure(error)
            }
        }
        let outcome: OTLPOutcome<Record>
        switch decoded {
        case .success(let value): outcome = value
        case .failure(let error):
            return Self.status(.badRequest, code: 3, "the request is not OTLP JSON: \(error.reason) at byte \(error.offset)")
        }
        let counters = metrics.http
        counters.received.increment(by: Int64(outcome.records.count + outcome.rejected))
        counters.rejected.increment(by: Int64(outcome.rejected))
        if !outcome.records.isEmpty {
            do {
                try await submit(outcome.records)
            } catch IngestQueue.SubmitError.full {
                counters.dropped.increment(by: Int64(outcome.records.count))
                return Self.status(.tooManyRequests, code: 8, "the ingest queue is full; retry after 1 s", retryAfter: true)
            } catch {
                logger.error("OTLP records could not be stored.", metadata: ["error": "\(error)"])
                return Self.status(.serviceUnavailable, code: 14, "the records could not be stored: \(error)", retryAfter: true)
            }
            counters.accepted.increment(by: Int64(outcome.records.count))
        }
        var json = JSONWriter()
        json.beginObject()
        if outcome.rejected > 0 {
            json.key("partialSuccess")
            json.beginObject()
            json.key(rejectedField); json.int(outcome.rejected)
            json.key("errorMessage"); json.string(outcome.errorMessage)
            json.endObject()
        }
        json.endObject()
        return JSONResponse.make(.ok, json)
    }

    /// A `google.rpc.Status` body (code: 3 INVALID_ARGUMENT, 8 RESOURCE_EXHAUSTED, 14 UNAVAILABLE).
    static func status(_ status: HTTPResponse.Status, code: Int, _ message: String, retryAfter: Bool = false) -> Response {
        var json = JSONWriter()
        json.beginObject()
        json.key("code"); json.int(code)
        json.key("message"); json.string(message)
        json.endObject()
        return JSONResponse.make(status, json, headers: retryAfter ? [.retryAfter: "1"] : [:])
    }
}
