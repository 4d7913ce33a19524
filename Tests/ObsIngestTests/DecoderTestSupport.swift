import ObsCore
@testable import ObsIngest

let receivedAt = Timestamp(nanoseconds: 1_700_000_000_000_000_000)

/// Decodes a native body (NDJSON, array or object) the way the HTTP endpoint does.
func decodeBody(_ text: String, maxRecordBytes: Int = 1 << 20) -> DecodeOutcome<LogRecord> {
    decodeBody(Array(text.utf8), maxRecordBytes: maxRecordBytes)
}

func decodeBody(_ bytes: [UInt8], maxRecordBytes: Int = 1 << 20) -> DecodeOutcome<LogRecord> {
    let decoder = LogRecordDecoder()
    return bytes.withUnsafeBufferPointer { buffer in
        NativeBodyDecoder(maxRecordBytes: maxRecordBytes).decode(body: buffer) { (scanner: inout JSONScanner) throws(RecordError) in
            try decoder.decode(&scanner, receivedAt: receivedAt).record
        }
    }
}

/// One record, or the error it was rejected with.
func decodeOne(_ line: String) -> Result<LogRecord, LineError> {
    let outcome = decodeBody(line)
    if let record = outcome.records.first { return .success(record) }
    return .failure(outcome.errors.first ?? LineError(line: 0, error: "nothing decoded"))
}

func record(_ line: String) throws -> LogRecord {
    try decodeOne(line).get()
}

func rejection(_ line: String) -> String? {
    if case .failure(let error) = decodeOne(line) { return error.error }
    return nil
}
