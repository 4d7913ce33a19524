import Foundation
import ObsTesting
import Testing

@Suite("Native spans, end to end")
struct TraceEndToEndTests {
    let trace = "4bf92f3577b34da6a3ce929d0e0e4736"

    func traceJSON(_ arguments: [String]) throws -> [String: Any] {
        let result = try ObsBinary.run(["query", "trace", trace, "--format", "json"] + arguments)
        #expect(result.status == 0, "obs query trace failed: \(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }

    @Test("spans from several requests and UDP, out of order, assemble into one tree with its logs")
    func assembles() async throws {
        try await withDaemon { daemon, _ in
            let spansURL = daemon.baseURL.appendingPathComponent("ingest/spans")
            // Children first; the root arrives last, over UDP.
            let children = """
                {"trace_id":"\(trace)","span_id":"b000000000000002","parent_span_id":"a000000000000001","service":"checkout","name":"POST /api/checkout","kind":"server","start":"2026-11-25T16:00:00.010Z","duration_ms":120,"status":"ok","attributes":{"http.route":"/api/checkout"}}
                {"trace_id":"\(trace)","span_id":"c000000000000003","parent_span_id":"b000000000000002","service":"payment","name":"charge","kind":"client","start":"2026-11-25T16:00:00.020Z","end":"2026-11-25T16:00:00.100Z","status":"error","status_message":"card declined"}
                {"trace_id":"\(trace)","span_id":"1","name":"broken"}
                """
            let reply = try await HTTPClient.post(spansURL, body: Data(children.utf8))
            #expect(reply.status == 200)
            #expect(try reply.json()["accepted"] as? Int == 2)
            let errors = try #require(try reply.json()["errors"] as? [[String: Any]])
            #expect(errors.first?["error"] as? String == "span_id: \"1\" is not a 16-character hex span id")

            let orphan = "{\"trace_id\":\"\(trace)\",\"span_id\":\"d000000000000004\",\"parent_span_id\":\"ffffffffffffffff\",\"service\":\"inventory\",\"name\":\"reserve\",\"start\":\"2026-11-25T16:00:00.030Z\",\"duration\":\"5ms\"}"
            #expect(try await HTTPClient.post(spansURL, body: Data(orphan.utf8)).status == 200)
            _ = try await postLogs(daemon, "{\"msg\":\"payment failed\",\"service\":\"payment\",\"level\":\"error\",\"trace_id\":\"\(trace)\"}")
            try UDPSender(port: daemon.udpPort).send("{\"type\":\"span\",\"trace_id\":\"\(trace)\",\"span_id\":\"a000000000000001\",\"service\":\"gateway\",\"name\":\"GET /checkout\",\"kind\":\"server\",\"start\":\"2026-11-25T16:00:00Z\",\"duration_ms\":150}\n")
            let complete = try await eventually { (try traceJSON(["--url", daemon.baseURL.absoluteString])["spans"] as? [Any])?.count == 4 }
            #expect(complete)

            let body = try traceJSON(["--url", daemon.baseURL.absoluteString])
            let spans = try #require(body["spans"] as? [[String: Any]])
            #expect(spans.map { $0["span_id"] as? String } == ["a000000000000001", "b000000000000002", "c000000000000003", "d000000000000004"])
            #expect(spans.map { $0["depth"] as? Int } == [0, 1, 2, 1])
            #expect(spans.map { $0["orphan"] as? Bool } == [false, false, false, true])
            #expect(spans[2]["status"] as? String == "error")
            #expect(spans[2]["status_message"] as? String == "card declined")
            #expect(spans[2]["duration_ms"] as? Double == 80)
            #expect(spans[1]["kind"] as? String == "server")
            #expect((spans[1]["attributes"] as? [String: Any])?["http.route"] as? String == "/api/checkout")
            let logs = try #require(body["logs"] as? [[String: Any]])
            #expect(logs.map { $0["message"] as? String } == ["payment failed"])

            // Request spans feed the aggregates: the root and the server span count (route from
            // http.route, else the span name); the client span and the internal orphan do not.
            let requests = try queryExpression([
                "requests[5m] by (service, route)", "--time", "2026-11-25T16:01:00Z", "--url", daemon.baseURL.absoluteString,
            ]).result.compactMap { series -> String? in
                guard let labels = series["metric"] as? [String: String], let value = (series["value"] as? [Any])?.last as? String else { return nil }
                return "\(labels["service"] ?? "") \(labels["route"] ?? "") \(value)"
            }
            #expect(requests.sorted() == ["checkout /api/checkout 1", "gateway GET /checkout 1"])

            let table = try ObsBinary.run(["query", "trace", trace, "--url", daemon.baseURL.absoluteString, "--format", "table"])
            let lines = table.stdout.split(separator: "\n").map(String.init)
            let chargeLine = try #require(lines.first { $0.contains("charge [payment]") })
            #expect(chargeLine.hasPrefix("* ! "))
            #expect(chargeLine.contains("ERROR: card declined"))
            #expect(chargeLine.contains("|"))
            let rootLine = try #require(lines.first { $0.contains("GET /checkout [gateway]") })
            #expect(rootLine.hasPrefix("*   "))
            let orphanLine = try #require(lines.first { $0.contains("reserve [inventory]") })
            #expect(orphanLine.hasPrefix("    "))
            #expect(orphanLine.contains("(orphan: parent ffffffffffffffff not stored)"))
            #expect(table.stdout.contains("logs of the trace outside its stored spans:"))

            let list = try ObsBinary.run(["query", "traces", "--url", daemon.baseURL.absoluteString, "--error", "--format", "json"])
            let listed = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any]
            let summaries = try #require(listed?["traces"] as? [[String: Any]])
            #expect(summaries.map { $0["trace_id"] as? String } == [trace])
            #expect(summaries.first?["span_count"] as? Int == 4)
            #expect(summaries.first?["root_name"] as? String == "GET /checkout")
            let listTable = try ObsBinary.run(["query", "traces", "--url", daemon.baseURL.absoluteString, "--min-duration", "100ms", "--format", "table"])
            #expect(listTable.stdout.contains("gateway: GET /checkout"))
            let graph = try ObsBinary.run(["query", "services", "--url", daemon.baseURL.absoluteString, "--format", "json"])
            let edges = try #require((try JSONSerialization.jsonObject(with: Data(graph.stdout.utf8)) as? [String: Any])?["edges"] as? [[String: Any]])
            #expect(edges.map { "\($0["caller"] as? String ?? "")→\($0["callee"] as? String ?? "")" } == ["checkout→payment", "gateway→checkout"])
            #expect(edges.first?["errors"] as? Int == 1)
            #expect(edges.first?["p95_ms"] as? Double == 80)
            let graphTable = try ObsBinary.run(["query", "services", "--url", daemon.baseURL.absoluteString, "--format", "table"])
            #expect(graphTable.stdout.contains("gateway → checkout"))
            let badList = try await HTTPClient.get(URL(string: daemon.baseURL.absoluteString + "/api/v1/traces?error=maybe")!)
            #expect(badList.status == 400)

            let missing = try ObsBinary.run(["query", "trace", "0000000000000000000000000000abcd", "--url", daemon.baseURL.absoluteString])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("no spans or logs carry trace id"))
            let allBad = try await HTTPClient.post(spansURL, body: Data("{\"name\":\"x\"}".utf8))
            #expect(allBad.status == 400)
        }
    }
}

@Suite("OTLP/HTTP JSON, end to end")
struct OTLPEndToEndTests {
    @Test("the SDK's JSON and protobuf exports are accepted (plain and gzip) and read back")
    func exports() async throws {
        try await withDaemon { daemon, _ in
            let traces = daemon.baseURL.appendingPathComponent("v1/traces")
            let logs = daemon.baseURL.appendingPathComponent("v1/logs")
            let json = ["Content-Type": "application/json"]
            let reply = try await HTTPClient.post(traces, body: try Fixtures.data("otlp_traces.json"), headers: json)
            #expect(reply.status == 200)
            #expect(reply.text == "{}")
            let zipped = try Gzip.compress(try Fixtures.data("otlp_logs.json"))
            let logReply = try await HTTPClient.post(logs, body: zipped, headers: json.merging(["Content-Encoding": "gzip"]) { $1 })
            #expect(logReply.status == 200)

            let result = try ObsBinary.run(["query", "trace", "77cd07c04d3f125387dec958d702c1cc", "--url", daemon.baseURL.absoluteString, "--format", "json"])
            let body = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let spans = try #require(body?["spans"] as? [[String: Any]])
            #expect(spans.map { $0["name"] as? String } == ["POST /api/pay", "db.query", "charge-card"])
            #expect(spans.map { $0["depth"] as? Int } == [0, 1, 1])
            #expect(try queryLogs(daemon, ["--service", "checkout"]).map { $0["message"] as? String } == ["payment failed", "slow upstream", "payment started"])

            let partial = try await HTTPClient.post(traces, body: Data(#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz","spanId":"1","name":"x"}]}]}]}"#.utf8), headers: json)
            #expect(partial.status == 200)
            let success = try #require(try partial.json()["partialSuccess"] as? [String: Any])
            #expect(success["rejectedSpans"] as? Int == 1)

            let garbage = try await HTTPClient.post(traces, body: Data("nope".utf8), headers: json)
            #expect(garbage.status == 400)
            #expect(try garbage.json()["code"] as? Int == 3)
            let protobuf = try await HTTPClient.post(traces, body: try Gzip.compress(try Fixtures.data("otlp_traces.bin")),
                                                     headers: ["Content-Type": "application/x-protobuf", "Content-Encoding": "gzip"])
            #expect(protobuf.status == 200)
            #expect(protobuf.headers["content-type"] == "application/x-protobuf")
            #expect(protobuf.body.isEmpty)
            let protobufTrace = try #require(try OTLPProtobufTraceID.first())
            let fromProtobuf = try ObsBinary.run(["query", "trace", protobufTrace, "--url", daemon.baseURL.absoluteString, "--format", "json"])
            #expect(fromProtobuf.stdout.contains("\"service\":\"checkout\""))
            let badProtobuf = try await HTTPClient.post(traces, body: Data([0xFF, 0xFF, 0xFF]), headers: ["Content-Type": "application/x-protobuf"])
            #expect(badProtobuf.status == 400)
            #expect(try await HTTPClient.post(traces, body: Data("x".utf8), headers: ["Content-Type": "text/plain"]).status == 415)
            let huge = try await HTTPClient.post(traces, body: Data(repeating: 0x0A, count: 20 * 1024 * 1024), headers: ["Content-Type": "application/x-protobuf"])
            #expect(huge.status == 413)
        }
    }
}

/// The trace id inside the protobuf fixture (its bytes follow the first span's field tag).
enum OTLPProtobufTraceID {
    static func first() throws -> String? {
        let bytes = [UInt8](try Fixtures.data("otlp_traces.bin"))
        // A Span starts with field 1 (trace_id), wire type 2, length 16: 0x0A 0x10.
        guard let index = (0..<(bytes.count - 18)).first(where: { bytes[$0] == 0x0A && bytes[$0 + 1] == 0x10 && bytes[$0 + 18] == 0x12 }) else {
            return nil
        }
        return bytes[(index + 2)..<(index + 18)].map { String(format: "%02x", $0) }.joined()
    }
}
