import Foundation
import Hummingbird
import Logging
import NIOCore
import ObsCore
import ObsIngest

/// `POST /v1/traces` and `POST /v1/logs`: the OTLP/HTTP receiver, protobuf and JSON.
///
/// Answers as the OTLP specification says, in the request's encoding: 200 with an empty
/// export response (or `partialSuccess` naming how many records were rejected and why),
/// 400 with a `google.rpc.Status` for a request that cannot be decoded, 415 for other
/// content types, 429/503 with `Retry-After` when obs cannot take the records now.
struct OTLPController: Sendable {
    let queue: IngestQueue
    let bodyReader: RequestBodyReader
    let metrics: ObsMetrics
    let logger: Logger

    enum Encoding {
        case protobuf, json

        var contentType: String { self == .protobuf ? "application/x-protobuf" : "application/json" }
    }

    enum Signal {
        case traces, logs
    }

    func register(with router: Router<BasicRequestContext>) {
        let json = OTLPJSONDecoder()
        let protobuf = OTLPProtobufDecoder()
        router.post("/v1/traces") { request, _ in
            await export(request, signal: .traces) { body, encoding throws(OTLPResponse.DecodeFailure) in
                switch encoding {
                case .json:
                    try OTLPResponse.decodeJSON(body) { (bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) in try json.decodeTraces(bytes) }
                case .protobuf:
                    try OTLPResponse.decodeProtobuf(body) { (data: Data) throws(OTLPProtobufDecoder.Failure) in try protobuf.decodeTraces(data) }
                }
            } submit: { spans in
                try await queue.submit(spans: spans)
            }
        }
        router.post("/v1/logs") { request, _ in
            await export(request, signal: .logs) { body, encoding throws(OTLPResponse.DecodeFailure) in
                let now = Timestamp.now()
                switch encoding {
                case .json:
                    return try OTLPResponse.decodeJSON(body) { (bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) in
                        try json.decodeLogs(bytes, receivedAt: now)
                    }
                case .protobuf:
                    return try OTLPResponse.decodeProtobuf(body) { (data: Data) throws(OTLPProtobufDecoder.Failure) in
                        try protobuf.decodeLogs(data, receivedAt: now)
                    }
                }
            } submit: { logs in
                try await queue.submit(logs: logs)
            }
        }
    }

    func export<Record: Sendable>(
        _ request: Request, signal: Signal,
        decode: (ByteBuffer, Encoding) throws(OTLPResponse.DecodeFailure) -> OTLPOutcome<Record>,
        submit: ([Record]) async throws -> Void
    ) async -> Response {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let encoding: Encoding
        switch mediaType {
        case "application/x-protobuf", "application/protobuf": encoding = .protobuf
        case "application/json": encoding = .json
        default:
            return OTLPResponse.status(.unsupportedMediaType, code: 3, encoding: .json,
                "content type \"\(mediaType)\" is not supported; send application/x-protobuf or application/json")
        }
        let body: ByteBuffer
        do {
            body = try await bodyReader.read(request)
        } catch let failure as RequestBodyReader.Failure {
            if case .tooLarge = failure { metrics.bodiesTooLarge.increment() }
            // google.rpc codes: 8 RESOURCE_EXHAUSTED for size, 3 INVALID_ARGUMENT otherwise.
            return OTLPResponse.status(failure.status, code: failure.status == .contentTooLarge ? 8 : 3, encoding: encoding, failure.message)
        } catch {
            return OTLPResponse.status(.badRequest, code: 3, encoding: encoding, "the body could not be read: \(error)")
        }
        let outcome: OTLPOutcome<Record>
        do throws(OTLPResponse.DecodeFailure) {
            outcome = try decode(body, encoding)
        } catch {
            return OTLPResponse.status(.badRequest, code: 3, encoding: encoding, "the request is not an OTLP export request: \(error.reason)")
        }
        let counters = metrics.http
        counters.received.increment(by: Int64(outcome.records.count + outcome.rejected))
        counters.rejected.increment(by: Int64(outcome.rejected))
        if !outcome.records.isEmpty {
            do {
                try await submit(outcome.records)
            } catch IngestQueue.SubmitError.full {
                counters.dropped.increment(by: Int64(outcome.records.count))
                return OTLPResponse.status(.tooManyRequests, code: 8, encoding: encoding, "the ingest queue is full; retry after 1 s", retryAfter: true)
            } catch {
                logger.error("OTLP records could not be stored.", metadata: ["error": "\(error)"])
                return OTLPResponse.status(.serviceUnavailable, code: 14, encoding: encoding, "the records could not be stored: \(error)", retryAfter: true)
            }
            counters.accepted.increment(by: Int64(outcome.records.count))
        }
        return OTLPResponse.success(signal: signal, encoding: encoding, rejected: outcome.rejected, message: outcome.errorMessage)
    }
}
