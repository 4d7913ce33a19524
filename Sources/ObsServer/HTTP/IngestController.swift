import Hummingbird
import Logging
import NIOCore
import ObsCore
import ObsIngest

/// `POST /ingest/logs` and `POST /ingest/spans`: native JSON records as NDJSON, a JSON array
/// or one object, optionally gzip-compressed. Answers only after the accepted records are
/// committed.
struct IngestController: Sendable {
    let queue: IngestQueue
    let bodyReader: RequestBodyReader
    let decoder: NativeBodyDecoder
    let metrics: ObsMetrics
    let logger: Logger

    /// Media types a JSON log shipper sends. `application/x-www-form-urlencoded` is what
    /// `curl --data-binary` sends by default, so it is read as NDJSON too.
    static let acceptedMediaTypes: Set<String> = [
        "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines",
        "application/json", "application/x-json-stream", "text/plain", "application/x-www-form-urlencoded",
    ]

    func register(with router: Router<BasicRequestContext>) {
        let logDecoder = LogRecordDecoder()
        let spanDecoder = SpanRecordDecoder()
        router.post("/ingest/logs") { request, _ in
            await ingest(request) { (scanner: inout JSONScanner, receivedAt: Timestamp) throws(RecordError) in
                try logDecoder.decode(&scanner, receivedAt: receivedAt).record
            } submit: { logs in
                try await queue.submit(logs: logs)
            }
        }
        router.post("/ingest/spans") { request, _ in
            await ingest(request) { (scanner: inout JSONScanner, _: Timestamp) throws(RecordError) in
                try spanDecoder.decode(&scanner)
            } submit: { spans in
                try await queue.submit(spans: spans)
            }
        }
    }

    func ingest<Record: Sendable>(
        _ request: Request,
        decode: (inout JSONScanner, Timestamp) throws(RecordError) -> Record,
        submit: ([Record]) async throws -> Void
    ) async -> Response {
        if let contentType = request.headers[.contentType] {
            let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard Self.acceptedMediaTypes.contains(mediaType) else {
                return JSONResponse.error(.unsupportedMediaType,
                    "content type \"\(contentType)\" is not supported here; send NDJSON or JSON (application/x-ndjson, application/json)")
            }
        }
        let body: ByteBuffer
        do {
            body = try await bodyReader.read(request)
        } catch let failure as RequestBodyReader.Failure {
            if case .tooLarge = failure { metrics.bodiesTooLarge.increment() }
            return JSONResponse.error(failure.status, failure.message)
        } catch {
            return JSONResponse.error(.badRequest, "the body could not be read: \(error)")
        }

        let receivedAt = Timestamp.now()
        let outcome = body.withUnsafeReadableBytes { raw in
            decoder.decode(body: raw.assumingMemoryBound(to: UInt8.self)) { (scanner: inout JSONScanner) throws(RecordError) in
                try decode(&scanner, receivedAt)
            }
        }
        let counters = metrics.http
        counters.received.increment(by: Int64(outcome.records.count + outcome.rejected))
        counters.rejected.increment(by: Int64(outcome.rejected))
        if outcome.records.isEmpty {
            return Self.summary(outcome, status: outcome.rejected > 0 ? .badRequest : .ok)
        }
        do {
            try await submit(outcome.records)
        } catch IngestQueue.SubmitError.full {
            counters.dropped.increment(by: Int64(outcome.records.count))
            return JSONResponse.error(.tooManyRequests, "the ingest queue is full; retry after 1 s",
                                      headers: [.retryAfter: "1"])
        } catch IngestQueue.SubmitError.closed {
            return JSONResponse.error(.serviceUnavailable, "obs is shutting down; retry against the restarted daemon",
                                      headers: [.retryAfter: "1"])
        } catch {
            logger.error("Records could not be stored.", metadata: ["error": "\(error)"])
            return JSONResponse.error(.serviceUnavailable, "the records could not be stored: \(error)", headers: [.retryAfter: "1"])
        }
        counters.accepted.increment(by: Int64(outcome.records.count))
        return Self.summary(outcome, status: .ok)
    }

    static func summary<Record>(_ outcome: DecodeOutcome<Record>, status: HTTPResponse.Status) -> Response {
        var json = JSONWriter()
        json.beginObject()
        json.key("accepted"); json.int(outcome.records.count)
        json.key("rejected"); json.int(outcome.rejected)
        json.key("errors")
        json.beginArray()
        for error in outcome.errors {
            json.beginObject()
            json.key("line"); json.int(error.line)
            json.key("error"); json.string(error.error)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return JSONResponse.make(status, json)
    }
}
