import CompressNIO
import Hummingbird
import NIOCore

/// Reads a request body within the size limit, before and after decompression, so neither a
/// large upload nor a small gzip bomb can grow memory past `maxBytes`.
struct RequestBodyReader: Sendable {
    enum Failure: Error {
        case tooLarge(limit: Int, decompressed: Bool)
        case unsupportedEncoding(String)
        case invalidCompression(String)

        /// 413, 415 or 400.
        var status: HTTPResponse.Status {
            switch self {
            case .tooLarge: .contentTooLarge
            case .unsupportedEncoding: .unsupportedMediaType
            case .invalidCompression: .badRequest
            }
        }

        var message: String {
            switch self {
            case .tooLarge(let limit, let decompressed):
                "the body is larger than the \(limit)-byte limit\(decompressed ? " once decompressed" : "") (limits.max_body_bytes)"
            case .unsupportedEncoding(let encoding): "content encoding \"\(encoding)\" is not supported; use gzip or none"
            case .invalidCompression(let reason): "the body could not be decompressed: \(reason)"
            }
        }
    }

    let maxBytes: Int

    func read(_ request: Request) async throws -> ByteBuffer {
        let encoding = request.headers[.contentEncoding]?.lowercased().trimmingCharacters(in: .whitespaces) ?? "identity"
        guard ["identity", "gzip", "x-gzip", ""].contains(encoding) else {
            throw Failure.unsupportedEncoding(encoding)
        }
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maxBytes {
            throw Failure.tooLarge(limit: maxBytes, decompressed: false)
        }
        var body = ByteBuffer()
        for try await chunk in request.body {
            guard body.readableBytes + chunk.readableBytes <= maxBytes else {
                throw Failure.tooLarge(limit: maxBytes, decompressed: false)
            }
            var chunk = chunk
            body.writeBuffer(&chunk)
        }
        guard encoding == "gzip" || encoding == "x-gzip" else { return body }
        return try Self.gunzip(body, maxBytes: maxBytes)
    }

    /// Inflates a complete gzip stream; a stream that ends early (truncated upload) or fails
    /// its checksum is an error, not a shorter body.
    static func gunzip(_ compressed: ByteBuffer, maxBytes: Int) throws -> ByteBuffer {
        guard compressed.readableBytes > 0 else { return compressed }
        var input = compressed
        let decompressor = CompressionAlgorithm.gzip().decompressor
        var output = ByteBuffer()
        do {
            try decompressor.startStream()
            defer { try? decompressor.finishStream() }
            var window = ByteBufferAllocator().buffer(capacity: 64 * 1024)
            var finished = false
            while !finished {
                do {
                    try decompressor.streamInflate(from: &input, to: &window)
                    finished = true
                } catch let error as CompressNIOError where error == .bufferOverflow {
                    // The window filled up: move it to the output and go on.
                } catch let error as CompressNIOError where error == .inputBufferOverflow {
                    throw Failure.invalidCompression("the gzip stream is truncated")
                }
                guard output.readableBytes + window.readableBytes <= maxBytes else {
                    throw Failure.tooLarge(limit: maxBytes, decompressed: true)
                }
                output.writeBuffer(&window)
                window.clear()
            }
            // inflate() reports a stream that simply stops (a truncated upload) the same way
            // as a finished one, so the gzip trailer's length field decides.
            guard compressed.readableBytes >= 18,
                  let trailerLength = compressed.getInteger(at: compressed.readerIndex + compressed.readableBytes - 4,
                                                            endianness: .little, as: UInt32.self),
                  trailerLength == UInt32(truncatingIfNeeded: output.readableBytes) else {
                throw Failure.invalidCompression("the gzip stream is truncated")
            }
        } catch let failure as Failure {
            throw failure
        } catch let error as CompressNIOError where error == .corruptData {
            throw Failure.invalidCompression("the gzip stream is corrupt")
        } catch {
            throw Failure.invalidCompression("\(error)")
        }
        return output
    }
}
