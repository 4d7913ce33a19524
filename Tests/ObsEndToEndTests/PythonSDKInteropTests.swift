import Foundation
import ObsTesting
import Testing

/// The real OpenTelemetry Python SDK (installed by scripts/setup-python.sh) exporting to the
/// real daemon with its stock OTLP/HTTP exporters.
@Suite("OpenTelemetry Python SDK interoperability")
struct PythonSDKInteropTests {
    static let repository = URL(fileURLWithPath: Fixtures.directory).deletingLastPathComponent().deletingLastPathComponent()

    func python(_ venv: String) throws -> String {
        let path = Self.repository.appendingPathComponent("\(venv)/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw InteropSetupMissing(description: "\(path) is missing: run scripts/setup-python.sh (scripts/test does)")
        }
        return path
    }

    struct InteropSetupMissing: Error, CustomStringConvertible {
        var description: String
    }

    @Test("stock exporters, protobuf and JSON: a three-service trace with an error span and its logs", arguments: [
        ("protobuf", ".venv"), ("json", ".venv-json"),
    ])
    func exportTrace(encoding: String, venv: String) async throws {
        let interpreter = try python(venv)
        try await withDaemon { daemon, _ in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: interpreter)
            process.arguments = [Self.repository.appendingPathComponent("Tests/Interop/emit_trace.py").path, daemon.baseURL.absoluteString, encoding]
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let complaints = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "emit_trace.py failed: \(complaints)")
            #expect(!complaints.contains("Failed to export"), "the exporter reported: \(complaints)")
            let traceID = printed.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(traceID.count == 32)

            let result = try ObsBinary.run(["query", "trace", traceID, "--url", daemon.baseURL.absoluteString, "--format", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let spans = try #require(body["spans"] as? [[String: Any]])
            #expect(spans.map { $0["name"] as? String } == ["GET /checkout", "POST /api/checkout", "charge"])
            #expect(spans.map { $0["service"] as? String } == ["gateway", "checkout", "payment"])
            #expect(spans.map { $0["depth"] as? Int } == [0, 1, 2])
            #expect(spans.map { $0["kind"] as? String } == ["server", "server", "client"])
            let charge = spans[2]
            #expect(charge["status"] as? String == "error")
            #expect(charge["status_message"] as? String == "card declined by issuer")
            let events = try #require(charge["events"] as? [[String: Any]])
            #expect(events.first?["name"] as? String == "exception")
            #expect((charge["attributes"] as? [String: Any])?["payment.tags"] as? [String] == ["card", "retry"])
            let checkout = try #require(spans[1]["attributes"] as? [String: Any])
            #expect(checkout["cart.items"] as? Int == 3)
            #expect(checkout["cart.total"] as? Double == 59.9)
            #expect(checkout["cart.gift"] as? Bool == false)
            let logs = try #require(body["logs"] as? [[String: Any]])
            #expect(logs.map { $0["message"] as? String } == ["charging card", "payment failed"])
            #expect(logs.map { $0["level"] as? String } == ["info", "error"])
            #expect(logs.allSatisfy { $0["span_id"] as? String == charge["span_id"] as? String })
            #expect(logs.allSatisfy { $0["service"] as? String == "payment" })

            // The server spans are requests: routes from http.route, the gateway's 500 an error.
            let url = ["--url", daemon.baseURL.absoluteString]
            let requests = try queryExpression(["requests[5m] by (service, route)"] + url).result.compactMap { series -> String? in
                guard let labels = series["metric"] as? [String: String], let value = (series["value"] as? [Any])?.last as? String else { return nil }
                return "\(labels["service"] ?? "") \(labels["route"] ?? "") \(value)"
            }
            #expect(requests.sorted() == ["checkout /api/checkout 1", "gateway /checkout 1"])
            #expect(vector(try queryExpression(["error_rate[5m] by (service)"] + url).result, by: "service") == ["gateway": 1, "checkout": 0])
        }
    }
}
