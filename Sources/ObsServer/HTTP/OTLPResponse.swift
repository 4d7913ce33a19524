import Foundation
import Hummingbird
import NIOCore
import ObsCore
import ObsIngest

/// OTLP/HTTP answer bodies in either encoding: export responses with `partialSuccess`, and
/// `google.rpc.Status` errors.
enum OTLPResponse {
    struct DecodeFailure: Error {
        var reason: String
    }

    static func decodeJSON<Record>(
        _ body: ByteBuffer, _ decode: (UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> OTLPOutcome<Record>
    ) throws(DecodeFailure) -> OTLPOutcome<Record> {
        do {
            let result = body.withUnsafeReadableBytes { raw -> Result<OTLPOutcome<Record>, JSONSyntaxError> in
                do throws(JSONSyntaxError) {
                    return .success(try decode(raw.assumingMemoryBound(to: UInt8.self)))
                } catch {
                    return .failure(error)
                }
            }
            switch result {
            case .success(let outcome): return outcome
            case .failure(let error): throw DecodeFailure(reason: "\(error.reason) at byte \(error.offset)")
            }
        }
    }

    static func decodeProtobuf<Record>(
        _ body: ByteBuffer, _ decode: (Data) throws(OTLPProtobufDecoder.Failure) -> OTLPOutcome<Record>
    ) throws(DecodeFailure) -> OTLPOutcome<Record> {
        do throws(OTLPProtobufDecoder.Failure) {
            return try decode(Data(body.readableBytesView))
        } catch {
            throw DecodeFailure(reason: error.reason)
        }
    }

    static func success(signal: OTLPController.Signal, encoding: OTLPController.Encoding, rejected: Int, message: String) -> Response {
        switch encoding {
        case .json:
            var json = JSONWriter()
            json.beginObject()
            if rejected > 0 {
                json.key("partialSuccess")
                json.beginObject()
                json.key(signal == .traces ? "rejectedSpans" : "rejectedLogRecords"); json.int(rejected)
                json.key("errorMessage"); json.string(message)
                json.endObject()
            }
            json.endObject()
            return make(.ok, encoding, json.bytes)
        case .protobuf:
            let bytes = rejected == 0
                ? OTLPProtobufEncoder.emptyExportResponse
                : OTLPProtobufEncoder.partialSuccess(signal == .traces ? .traces : .logs, rejected: rejected, message: message)
            return make(.ok, encoding, bytes)
        }
    }

    /// A `google.rpc.Status` body (code 3 INVALID_ARGUMENT, 8 RESOURCE_EXHAUSTED, 14 UNAVAILABLE).
    static func status(
        _ status: HTTPResponse.Status, code: Int, encoding: OTLPController.Encoding, _ message: String, retryAfter: Bool = false
    ) -> Response {
        let bytes: [UInt8]
        switch encoding {
        case .json:
            var json = JSONWriter()
            json.beginObject()
            json.key("code"); json.int(code)
            json.key("message"); json.string(message)
            json.endObject()
            bytes = json.bytes
        case .protobuf:
            bytes = OTLPProtobufEncoder.status(code: code, message: message)
        }
        var response = make(status, encoding, bytes)
        if retryAfter { response.headers[.retryAfter] = "1" }
        return response
    }

    private static func make(_ status: HTTPResponse.Status, _ encoding: OTLPController.Encoding, _ bytes: [UInt8]) -> Response {
        Response(status: status, headers: [.contentType: encoding.contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
