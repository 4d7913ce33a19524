import Foundation
import ObsTesting
import Testing

@Suite("HTTP and UDP ingest, end to end")
struct IngestEndToEndTests {
    @Test("NDJSON over HTTP is stored and read back through obs query logs")
    func httpRoundTrip() async throws {
        try await withDaemon { daemon, _ in
            let body = """
                {"ts":"2026-11-25T16:15:38.314Z","service":"checkout","level":"error","msg":"payment declined","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","duration_ms":1250.5,"status":502,"route":"/api/pay","method":"post","user":{"id":42,"tier":"gold"}}
                {"timestamp":1764087338,"svc":"cart","lvl":"info","message":"cart viewed","latency_ms":"12.500000","http.status_code":"200"}
                """
            let reply = try await postLogs(daemon, body, headers: ["Content-Type": "application/x-ndjson"])
            #expect(reply.status == 200)
            let summary = try reply.json()
            #expect(summary["accepted"] as? Int == 2)
            #expect(summary["rejected"] as? Int == 0)

            let checkout = try queryLogs(daemon, ["--service", "checkout"])
            #expect(checkout.count == 1)
            let record = try #require(checkout.first)
            #expect(record["time"] as? String == "2026-11-25T16:15:38.314000000Z")
            #expect(record["level"] as? String == "error")
            #expect(record["severity"] as? Int == 17)
            #expect(record["message"] as? String == "payment declined")
            #expect(record["trace_id"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
            #expect(record["span_id"] as? String == "00f067aa0ba902b7")
            #expect(record["duration_ms"] as? Double == 1250.5)
            #expect(record["status"] as? Int == 502)
            #expect(record["route"] as? String == "/api/pay")
            #expect(record["method"] as? String == "POST")
            let user = try #require((record["attributes"] as? [String: Any])?["user"] as? [String: Any])
            #expect(user["id"] as? Int == 42)
            #expect(user["tier"] as? String == "gold")

            let cart = try #require(try queryLogs(daemon, ["--service", "cart"]).first)
            #expect(cart["time"] as? String == "2025-11-25T16:15:38.000000000Z")
            #expect(cart["duration_ms"] as? Double == 12.5)
            #expect(cart["status"] as? Int == 200)

            // Filters: minimum level, full text, trace id, time range, limit, newest first.
            #expect(try queryLogs(daemon, ["--level", "warn"]).map { $0["service"] as? String } == ["checkout"])
            #expect(try queryLogs(daemon, ["--grep", "declined"]).count == 1)
            #expect(try queryLogs(daemon, ["--grep", "nothing-like-this"]).isEmpty)
            #expect(try queryLogs(daemon, ["--trace-id", "4BF92F3577B34DA6A3CE929D0E0E4736"]).count == 1)
            #expect(try queryLogs(daemon, ["--since", "2026-01-01T00:00:00Z"]).count == 1)
            #expect(try queryLogs(daemon, ["--until", "2026-01-01T00:00:00Z"]).count == 1)
            #expect(try queryLogs(daemon, ["--limit", "1"]).map { $0["service"] as? String } == ["checkout"])
            #expect(try queryLogs(daemon).map { $0["service"] as? String } == ["checkout", "cart"])
        }
    }

    @Test("syslog-ng's all-strings NDJSON batch is normalized")
    func syslogNgFixture() async throws {
        try await withDaemon { daemon, _ in
            let body = try String(contentsOfFile: Fixtures.path("syslog-ng_http_body.ndjson"), encoding: .utf8)
            let reply = try await postLogs(daemon, body, headers: ["Content-Type": "application/x-ndjson"])
            #expect(reply.status == 200)
            #expect(try reply.json()["accepted"] as? Int == 3)
            let records = try queryLogs(daemon, ["--service", "checkout"])
            #expect(records.map { $0["status"] as? Int } == [500, 200, 200])
            #expect(records.map { $0["duration_ms"] as? Double } == [300, 8.1, 12.5])
            #expect(records.first?["time"] as? String == "2026-11-25T14:52:02.000000000Z")
            let attributes = try #require(records.first?["attributes"] as? [String: Any])
            #expect(attributes["HOST_FROM"] as? String == "localhost")
        }
    }

    @Test("a body with bad lines stores the good ones and names the bad ones")
    func mixedBody() async throws {
        try await withDaemon { daemon, _ in
            let body = """
                {"msg":"first good"}
                not json at all
                {"msg":"bad time","ts":"0000-01-01T00:00:00Z"}
                "a string"
                {"msg":"second good"}
                """
            let reply = try await postLogs(daemon, body)
            #expect(reply.status == 200)
            let summary = try reply.json()
            #expect(summary["accepted"] as? Int == 2)
            #expect(summary["rejected"] as? Int == 3)
            let errors = try #require(summary["errors"] as? [[String: Any]])
            #expect(errors.map { $0["line"] as? Int } == [2, 3, 4])
            #expect(errors[0]["error"] as? String == "invalid JSON at column 1: unexpected text, expected a JSON value")
            #expect((errors[1]["error"] as? String)?.hasPrefix("ts: \"0000-01-01T00:00:00Z\" is outside the supported range") == true)
            #expect(errors[2]["error"] as? String == "expected a JSON object, got a string")
            #expect(Set(try queryLogs(daemon).compactMap { $0["message"] as? String }) == ["first good", "second good"])

            let allBad = try await postLogs(daemon, "{\"msg\":\n[1,2]\n")
            #expect(allBad.status == 400)
            #expect(try allBad.json()["accepted"] as? Int == 0)
        }
    }

    @Test("limits: 413 over the body limit (also after gzip), 415 for other types, truncated gzip 400")
    func limitsAndEncodings() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try directory.write("obs.yaml", "limits: {max_body_bytes: 64KiB, max_line_bytes: 16KiB}\n")
        try await withDaemon(extraArguments: ["--config", config]) { daemon, _ in
            let url = daemon.baseURL.appendingPathComponent("ingest/logs")
            let big = Data(repeating: UInt8(ascii: " "), count: 100_000)
            #expect(try await HTTPClient.post(url, body: big).status == 413)

            let bomb = try Gzip.compress(Data(repeating: UInt8(ascii: " "), count: 10_000_000))
            #expect(bomb.count < 64 * 1024)
            let bombReply = try await HTTPClient.post(url, body: bomb, headers: ["Content-Encoding": "gzip"])
            #expect(bombReply.status == 413)

            let gzipped = try Gzip.compress(Data("{\"msg\":\"zipped\"}\n".utf8))
            let zipped = try await HTTPClient.post(url, body: gzipped, headers: ["Content-Encoding": "gzip"])
            #expect(zipped.status == 200)
            #expect(try zipped.json()["accepted"] as? Int == 1)

            let truncated = try await HTTPClient.post(url, body: gzipped.prefix(gzipped.count - 6), headers: ["Content-Encoding": "gzip"])
            #expect(truncated.status == 400)
            #expect(truncated.text.contains("truncated"))

            #expect(try await HTTPClient.post(url, body: Data("{}".utf8), headers: ["Content-Type": "application/x-protobuf"]).status == 415)
            #expect(try await HTTPClient.post(url, body: Data("{}".utf8), headers: ["Content-Encoding": "br"]).status == 415)

            let longLine = "{\"msg\":\"" + String(repeating: "x", count: 20_000) + "\"}\n{\"msg\":\"short\"}\n"
            let reply = try await HTTPClient.post(url, body: Data(longLine.utf8))
            #expect(reply.status == 200)
            let errors = try #require(try reply.json()["errors"] as? [[String: Any]])
            #expect(errors.first?["error"] as? String == "line is 20010 bytes, over the limit of 16384 bytes per record")

            let deep = String(repeating: "{\"a\":", count: 1000) + "1" + String(repeating: "}", count: 1000)
            let deepReply = try await HTTPClient.post(url, body: Data(deep.utf8))
            #expect(deepReply.status == 400)
            #expect(deepReply.text.contains("nested deeper than 100 levels"))

            var invalidUTF8 = Data("{\"msg\":\"bad ".utf8)
            invalidUTF8.append(contentsOf: [0xFF, 0xFE])
            invalidUTF8.append(contentsOf: Data("\"}\n{\"msg\":\"fine\"}\n".utf8))
            let utf8Reply = try await HTTPClient.post(url, body: invalidUTF8)
            #expect(utf8Reply.status == 200)
            #expect(utf8Reply.text.contains("invalid UTF-8 byte 0xFF"))

            // The daemon is still healthy after all of it.
            #expect(try await HTTPClient.get(daemon.baseURL.appendingPathComponent("healthz")).status == 200)
        }
    }

    @Test("a 10 MB single line gets 413 under the default limits, and the daemon carries on")
    func tenMegabyteLine() async throws {
        try await withDaemon { daemon, _ in
            let line = "{\"msg\":\"" + String(repeating: "x", count: 10 * 1024 * 1024) + "\"}\n"
            let reply = try await postLogs(daemon, line)
            #expect(reply.status == 413)
            #expect(reply.text.contains("larger than the 8388608-byte limit"))
            #expect(try await postLogs(daemon, "{\"msg\":\"after\"}").status == 200)
            #expect(try queryLogs(daemon).map { $0["message"] as? String } == ["after"])
        }
    }

    @Test("UDP: NDJSON datagrams and Python SysLogHandler framing are stored; bad ones are counted")
    func udp() async throws {
        try await withDaemon { daemon, _ in
            let sender = try UDPSender(port: daemon.udpPort)
            sender.send("{\"msg\":\"udp one\",\"service\":\"inventory\"}\n{\"msg\":\"udp two\",\"service\":\"inventory\"}\n")
            sender.send(Array("<14>{\"msg\":\"from syslog handler\",\"service\":\"inventory\",\"level\":\"warning\"}".utf8) + [0])
            sender.send("this is not json")
            let stored = try await eventually { try queryLogs(daemon, ["--service", "inventory"]).count == 3 }
            #expect(stored)
            let warning = try queryLogs(daemon, ["--service", "inventory", "--level", "warn"])
            #expect(warning.map { $0["message"] as? String } == ["from syslog handler"])
            let metrics = try await HTTPClient.get(daemon.baseURL.appendingPathComponent("metrics")).text
            #expect(metricValue(metrics, "obs_ingest_records_accepted_total{transport=\"udp\"}") == 3)
            #expect(metricValue(metrics, "obs_ingest_records_rejected_total{transport=\"udp\"}") == 1)
            #expect(metricValue(metrics, "obs_ingest_datagrams_invalid_total") == 1)
        }
    }

    @Test("obs query logs --db reads the file with the daemon down; csv and table formats")
    func readWithDaemonDown() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let daemon = try await DaemonProcess.start(dataDir: directory.file("data"))
        let reply = try await postLogs(daemon, "{\"msg\":\"kept, \\\"quoted\\\"\",\"service\":\"search\",\"level\":\"warn\"}\n")
        #expect(reply.status == 200)
        #expect(try await daemon.stop() == 0)

        let records = try queryLogs(["--db", daemon.databasePath])
        #expect(records.map { $0["message"] as? String } == ["kept, \"quoted\""])
        let csv = try ObsBinary.run(["query", "logs", "--db", daemon.databasePath, "--format", "csv"])
        #expect(csv.status == 0)
        #expect(csv.stdout.contains(",search,warn,13,\"kept, \"\"quoted\"\"\","))
        let table = try ObsBinary.run(["query", "logs", "--db", daemon.databasePath, "--format", "table"])
        #expect(table.stdout.hasPrefix("TIME"))
        #expect(table.stdout.contains("search"))

        let missing = try ObsBinary.run(["query", "logs", "--db", directory.file("nope.db")])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("nope.db: opening the database read-only: no such file"))
        let down = try ObsBinary.run(["query", "logs", "--url", "http://127.0.0.1:\(daemon.httpPort)"])
        #expect(down.status != 0)
        #expect(down.stderr.contains("cannot reach"))
    }

    @Test("/metrics and /healthz")
    func selfObservability() async throws {
        try await withDaemon { daemon, _ in
            _ = try await postLogs(daemon, "{\"msg\":\"a\"}\n{\"msg\":\n")
            let metrics = try await HTTPClient.get(daemon.baseURL.appendingPathComponent("metrics"))
            #expect(metrics.status == 200)
            #expect(metricValue(metrics.text, "obs_ingest_records_received_total{transport=\"http\"}") == 2)
            #expect(metricValue(metrics.text, "obs_ingest_records_accepted_total{transport=\"http\"}") == 1)
            #expect(metricValue(metrics.text, "obs_ingest_records_rejected_total{transport=\"http\"}") == 1)
            #expect(metricValue(metrics.text, "obs_storage_batch_commit_seconds_count") == 1)
            #expect(metrics.text.contains("obs_ingest_queue_events"))
            let health = try await HTTPClient.get(daemon.baseURL.appendingPathComponent("healthz"))
            #expect(health.status == 200)
        }
    }
}
