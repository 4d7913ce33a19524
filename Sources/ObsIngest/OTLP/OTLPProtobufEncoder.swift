import SwiftProtobuf

/// The protobuf answers of the OTLP receiver, encoded with the generated messages.
public enum OTLPProtobufEncoder {
    public enum Signal: Sendable {
        case traces, logs
    }

    /// An empty `ExportTraceServiceResponse` / `ExportLogsServiceResponse`: zero bytes.
    public static let emptyExportResponse: [UInt8] = []

    public static func partialSuccess(_ signal: Signal, rejected: Int, message: String) -> [UInt8] {
        switch signal {
        case .traces:
            var response = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse()
            response.partialSuccess.rejectedSpans = Int64(rejected)
            response.partialSuccess.errorMessage = message
            return (try? response.serializedBytes()) ?? []
        case .logs:
            var response = Opentelemetry_Proto_Collector_Logs_V1_ExportLogsServiceResponse()
            response.partialSuccess.rejectedLogRecords = Int64(rejected)
            response.partialSuccess.errorMessage = message
            return (try? response.serializedBytes()) ?? []
        }
    }

    public static func status(code: Int, message: String) -> [UInt8] {
        var status = Google_Rpc_Status()
        status.code = Int32(code)
        status.message = message
        return (try? status.serializedBytes()) ?? []
    }
}
