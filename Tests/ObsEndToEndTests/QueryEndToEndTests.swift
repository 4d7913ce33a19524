import Foundation
import ObsTesting
import Testing

/// Runs `obs query EXPR --format json` and returns `data.result`.
func queryExpression(_ arguments: [String]) throws -> (type: String, result: [[String: Any]]) {
    let result = try ObsBinary.run(["query"] + arguments + ["--format", "json"])
    #expect(result.status == 0, "obs query failed: \(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let data = object?["data"] as? [String: Any]
    return (data?["resultType"] as? String ?? "", data?["result"] as? [[String: Any]] ?? [])
}

/// The values of a vector result by one label.
func vector(_ result: [[String: Any]], by label: String) -> [String: Double] {
    var values: [String: Double] = [:]
    for series in result {
        let name = (series["metric"] as? [String: String])?[label] ?? ""
        if let pair = series["value"] as? [Any], let text = pair.last as? String { values[name] = Double(text) }
    }
    return values
}

@Suite("Aggregation and the query language, end to end")
struct QueryEndToEndTests {
    /// Request logs of the last few minutes, with latencies known exactly.
    static func requests(now: Date) -> (body: String, latencies: [String: [Double]], errors: [String: Int]) {
        var lines: [String] = []
        var latencies: [String: [Double]] = [:]
        var errors: [String: Int] = [:]
        for index in 0..<3000 {
            let service = index % 3 == 0 ? "cart" : "checkout"
            let route = service == "cart" ? "/cart/add" : (index % 2 == 0 ? "/api/pay" : "/api/checkout")
            let milliseconds = 5 + Double((index * 7919) % 20000) / 10 * (index % 50 == 0 ? 8 : 1)
            let status = index % 101 == 0 ? 503 : 200
            let time = now.timeIntervalSince1970 - 240 + Double(index) / 20
            latencies[service, default: []].append(milliseconds)
            if status >= 500 { errors[service, default: 0] += 1 }
            lines.append(#"{"ts":\#(time),"service":"\#(service)","level":"info","msg":"request","duration_ms":\#(milliseconds),"status":\#(status),"route":"\#(route)","method":"GET"}"#)
        }
        return (lines.joined(separator: "\n"), latencies, errors)
    }

    static func exact(_ q: Double, _ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[Int((q * Double(sorted.count - 1)).rounded(.down))]
    }

    @Test("request logs over HTTP → p95, counts and error rates through obs query, live and from --db after shutdown")
    func percentilesMatchExactValues() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let daemon = try await DaemonProcess.start(dataDir: directory.file("data"))
        let load = Self.requests(now: Date())
        let reply = try await postLogs(daemon, load.body, headers: ["Content-Type": "application/x-ndjson"])
        #expect(reply.status == 200)
        #expect(try reply.json()["accepted"] as? Int == 3000)

        let url = ["--url", daemon.baseURL.absoluteString]
        // Live: these buckets are still open in the daemon's memory.
        let p95 = try queryExpression([#"p95(latency[10m]) by (service)"#] + url)
        #expect(p95.type == "vector")
        let livePercentiles = vector(p95.result, by: "service")
        for (service, values) in load.latencies {
            let measured = try #require(livePercentiles[service])
            let exact = Self.exact(0.95, values)
            #expect(abs(measured - exact) / exact <= 0.01, "\(service): p95 \(measured) vs exact \(exact)")
        }
        let p999 = vector(try queryExpression([#"quantile(0.999, latency{service="checkout"}[10m])"#] + url).result, by: "service")
        let exact999 = Self.exact(0.999, load.latencies["checkout"] ?? [])
        #expect(abs((p999["checkout"] ?? 0) - exact999) / exact999 <= 0.01)

        let counts = vector(try queryExpression(["requests[10m] by (service)"] + url).result, by: "service")
        #expect(counts == ["checkout": 2000, "cart": 1000])
        let errorRates = vector(try queryExpression(["error_rate[10m] by (service)"] + url).result, by: "service")
        #expect(errorRates["checkout"] == Double(load.errors["checkout"] ?? 0) / 2000)
        let routes = vector(try queryExpression([#"requests{service="checkout", route=~"/api/.*"}[10m] by (route)"#] + url).result, by: "route")
        #expect(routes == ["/api/pay": 1000, "/api/checkout": 1000])

        // A range: one series per service, a value per step.
        let range = try queryExpression(["requests[1m] by (service)", "--since", "10m", "--step", "1m"] + url)
        #expect(range.type == "matrix")
        let checkoutPoints = range.result.first { ($0["metric"] as? [String: String])?["service"] == "checkout" }?["values"] as? [[Any]] ?? []
        let rangeTotal = checkoutPoints.compactMap { ($0.last as? String).flatMap(Double.init) }.reduce(0, +)
        #expect(rangeTotal == 2000, "each request falls in exactly one 1-minute window")
        let sparkline = try ObsBinary.run(["query", "p95(latency[1m]) by (service)", "--since", "10m", "--format", "table"] + url)
        #expect(sparkline.status == 0)
        #expect(sparkline.stdout.contains("checkout") && sparkline.stdout.contains(where: { "▁▂▃▄▅▆▇█".contains($0) }))

        // Bad expressions: a 400 with the position, and one line from the CLI.
        let bad = try ObsBinary.run(["query", "p59(latency[5m])"] + url)
        #expect(bad.status != 0)
        #expect(bad.stderr.hasPrefix("obs: 1:1: unknown function \"p59\""), "\(bad.stderr)")
        var components = URLComponents(url: daemon.baseURL.appendingPathComponent("api/v1/query"), resolvingAgainstBaseURL: false)
        components?.queryItems = [URLQueryItem(name: "expr", value: "p95(latency[5m]")]
        let badReply = try await HTTPClient.get(try #require(components?.url))
        #expect(badReply.status == 400)
        let badBody = try badReply.json()
        #expect(badBody["status"] as? String == "error")
        #expect((badBody["error"] as? String)?.hasPrefix("1:16: expected \")\"") == true, "\(badBody)")

        // Form encoding, as curl --data-urlencode and browsers send it: "+" is a space, %2B a plus.
        let formURL = try #require(URL(string: daemon.baseURL.absoluteString + "/api/v1/query?expr=requests%5B10m%5D+by+(service)+%2B+1"))
        let formReply = try await HTTPClient.get(formURL)
        #expect(formReply.status == 200)
        let formResult = try #require((try formReply.json()["data"] as? [String: Any])?["result"] as? [[String: Any]])
        #expect(vector(formResult, by: "service") == ["checkout": 2001, "cart": 1001])

        let metrics = try await HTTPClient.get(daemon.baseURL.appendingPathComponent("metrics"))
        #expect(metricValue(String(decoding: metrics.body, as: UTF8.self), "obs_aggregate_observations_total") == 3000)

        // SIGTERM flushes every open bucket; the file then answers the same, daemon down.
        #expect(try await daemon.stop() == 0)
        let db = ["--db", daemon.databasePath]
        let stored = vector(try queryExpression([#"p95(latency[10m]) by (service)"#] + db).result, by: "service")
        #expect(stored == livePercentiles)
        #expect(vector(try queryExpression(["requests[10m] by (service)"] + db).result, by: "service") == counts)
    }

    /// `count` request logs of `service`, evenly spread over [from, to] seconds ago.
    static func requestLines(_ count: Int, service: String, secondsAgo from: Double, to: Double, now: Date) -> String {
        (0..<count).map { index in
            let time = now.timeIntervalSince1970 - from + (from - to) * Double(index) / Double(max(1, count - 1))
            return #"{"ts":\#(time),"service":"\#(service)","msg":"request","duration_ms":\#(10 + index % 90),"route":"/r","method":"GET"}"#
        }.joined(separator: "\n")
    }

    @Test("kill -9 loses no aggregate: buckets only in memory are rebuilt from the records, none twice")
    func killNineRebuildsOpenBuckets() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataDir = directory.file("data")
        let now = Date()
        let daemon = try await DaemonProcess.start(dataDir: dataDir)
        // Old enough to be written at the next flush…
        #expect(try await postLogs(daemon, Self.requestLines(600, service: "old", secondsAgo: 300, to: 200, now: now)).status == 200)
        let metricsURL = daemon.baseURL.appendingPathComponent("metrics")
        var flushed = false
        for _ in 0..<400 where !flushed {
            let text = String(decoding: try await HTTPClient.get(metricsURL).body, as: UTF8.self)
            flushed = (metricValue(text, "obs_aggregate_buckets_written_total") ?? 0) > 0
            if !flushed { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(flushed)
        // …then open buckets, and late records for buckets already written.
        #expect(try await postLogs(daemon, Self.requestLines(600, service: "new", secondsAgo: 5, to: 0, now: now)).status == 200)
        #expect(try await postLogs(daemon, Self.requestLines(100, service: "old", secondsAgo: 250, to: 240, now: now)).status == 200)
        #expect(try await daemon.stop(signal: SIGKILL) != 0)

        let restarted = try await DaemonProcess.start(dataDir: dataDir)
        let url = ["--url", restarted.baseURL.absoluteString]
        #expect(vector(try queryExpression(["requests[15m] by (service)"] + url).result, by: "service") == ["old": 700, "new": 600])
        // The daemon's log reaches the harness through a pipe: wait for the line, not just the counts.
        #expect(try await eventually { restarted.log.contains("Re-aggregated") })
        #expect(try await restarted.stop() == 0)

        // A graceful stop wrote everything: the next start replays nothing and counts the same.
        let again = try await DaemonProcess.start(dataDir: dataDir)
        #expect(vector(try queryExpression(["requests[15m] by (service)", "--url", again.baseURL.absoluteString]).result, by: "service")
                == ["old": 700, "new": 600])
        #expect(!again.log.contains("Re-aggregated"))
        #expect(try await again.stop() == 0)
    }

    @Test("records stored while aggregation was off are aggregated at the next start (backfill)")
    func backfill() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataDir = directory.file("data")
        let config = try directory.write("off.yaml", "aggregate: {enabled: false}\n")
        let off = try await DaemonProcess.start(dataDir: dataDir, extraArguments: ["--config", config])
        #expect(try await postLogs(off, Self.requestLines(500, service: "cart", secondsAgo: 400, to: 100, now: Date())).status == 200)
        #expect(vector(try queryExpression(["requests[15m]", "--url", off.baseURL.absoluteString]).result, by: "service").isEmpty)
        #expect(try await off.stop() == 0)

        let on = try await DaemonProcess.start(dataDir: dataDir)
        #expect(vector(try queryExpression(["requests[15m] by (service)", "--url", on.baseURL.absoluteString]).result, by: "service") == ["cart": 500])
        #expect(try await on.stop() == 0)
    }
}
