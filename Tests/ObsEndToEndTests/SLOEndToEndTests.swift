import Foundation
import ObsTesting
import Testing

@Suite("SLOs end to end: the real daemon, /api/v1/slos and obs query slos")
struct SLOEndToEndTests {
    static let rules = """
        slos:
          - {name: checkout-availability, service: checkout, objective: 98%, sli: errors, window: 30d}
          - {name: cart-availability, service: cart, objective: 99.9%, sli: errors, window: 30d}
        """

    @Test("ingested requests → SLI, budget, burn rates and exhaustion over HTTP and through the CLI; no traffic is null")
    func slos() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rules = try directory.write("slos.yaml", Self.rules)
        let daemon = try await DaemonProcess.start(dataDir: directory.file("data"), extraArguments: ["--rules", rules])
        do {
            // 1,000 checkout requests over the last four minutes, 10 of them failed.
            let now = Date().timeIntervalSince1970
            let lines = (0..<1000).map { index in
                #"{"ts":\#(now - 240 + Double(index) / 5),"service":"checkout","level":"info","msg":"request","duration_ms":20,"status":\#(index % 100 == 7 ? 503 : 200),"route":"/pay","method":"POST"}"#
            }
            let reply = try await postLogs(daemon, lines.joined(separator: "\n"), headers: ["Content-Type": "application/x-ndjson"])
            #expect(reply.status == 200)

            let data = try await apiData(daemon, "/api/v1/slos")
            let slos = try #require(data["slos"] as? [[String: Any]])
            #expect(slos.map { $0["name"] as? String } == ["checkout-availability", "cart-availability"])
            let checkout = slos[0]
            // SLI 990/1000; burn 0.01 / 0.02 = 0.5 over every window holding the four minutes;
            // budget 1 − 0.5 = 0.5 = 0.5 × 0.02 × 43,200 = 432 minutes; at 0.5× the half budget
            // left lasts 0.5 × 2,592,000 / 0.5 = 2,592,000 s.
            #expect(checkout["good"] as? Int == 990 && checkout["total"] as? Int == 1000)
            #expect(checkout["sli_value"] as? Double == 0.99)
            #expect((checkout["budget_remaining"] as? Double).map { ($0 * 1e9).rounded() / 1e9 } == 0.5)
            #expect((checkout["budget_remaining_minutes"] as? Double).map { ($0 * 1e6).rounded() / 1e6 } == 432)
            let burn = try #require(checkout["burn_rate"] as? [String: Any])
            for window in ["5m", "1h", "6h", "3d"] {
                #expect((burn[window] as? Double).map { ($0 * 1e9).rounded() / 1e9 } == 0.5, "\(window)")
            }
            #expect((checkout["exhausted_in_s"] as? Double).map { $0.rounded() } == 2_592_000)
            #expect(checkout["window"] as? String == "30d" && checkout["sli"] as? String == "errors" && checkout["route"] is NSNull)
            // Cart sent nothing: unknown, not 100 %.
            #expect(slos[1]["sli_value"] is NSNull && slos[1]["budget_remaining"] is NSNull && slos[1]["exhausted_in_s"] is NSNull)
            #expect((slos[1]["burn_rate"] as? [String: Any])?["1h"] is NSNull)

            // The CLI prints the same JSON.
            let cli = try ObsBinary.run(["query", "slos", "--url", daemon.baseURL.absoluteString, "--format", "json"])
            #expect(cli.status == 0, "\(cli.stderr)")
            let printed = try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any]
            let printedSLOs = ((printed?["data"] as? [String: Any])?["slos"] as? [[String: Any]]) ?? []
            #expect(printedSLOs.first?["total"] as? Int == 1000)
            let table = try ObsBinary.run(["query", "slos", "--url", daemon.baseURL.absoluteString, "--format", "table"])
            #expect(table.status == 0 && table.stdout.contains("checkout-availability") && table.stdout.contains("50.0 %"), "\(table.stdout)")

            // Availability: 99 % good. Which 1 m buckets exceed an allowance depends on where
            // now falls (an edge minute may hold a few requests and one failure), so the
            // expected count is computed from the same requests, minute by minute.
            var perMinute: [Int64: (requests: Int, errors: Int)] = [:]
            for index in 0..<1000 {
                let minute = Int64((now - 240 + Double(index) / 5).rounded(.down)) / 60
                perMinute[minute, default: (0, 0)].requests += 1
                if index % 100 == 7 { perMinute[minute, default: (0, 0)].errors += 1 }
            }
            func minutesAbove(_ allowance: Double) -> Int {
                perMinute.values.filter { Double($0.errors) / Double($0.requests) > allowance }.count
            }
            let availability = try await apiData(daemon, "/api/v1/availability?since=1h")
            let rows = try #require(availability["rows"] as? [[String: Any]])
            #expect(rows.count == 1 && rows[0]["service"] as? String == "checkout" && rows[0]["requests"] as? Int == 1000)
            #expect(rows[0]["availability"] as? Double == 0.99 && rows[0]["objective"] as? Double == 0.98)
            #expect(rows[0]["minutes"] as? Int == perMinute.count)
            #expect(rows[0]["minutes_above_allowance"] as? Int == minutesAbove(0.02), "\(rows)")
            let strict = try await apiData(daemon, "/api/v1/availability?since=1h&objective=99.9%25")
            let strictRows = strict["rows"] as? [[String: Any]] ?? []
            #expect(strictRows.first?["minutes_above_allowance"] as? Int == minutesAbove(0.001), "\(strictRows)")
            // Most minutes hold ~300 requests and 3 failures (1 %): under 2 %, over 0.1 %.
            #expect(minutesAbove(0.001) > minutesAbove(0.02))

            let bad = try await HTTPClient.get(URL(string: daemon.baseURL.absoluteString + "/api/v1/slos?at=yesterday-ish")!)
            #expect(bad.status == 400)
            try await daemon.stop()
        } catch {
            _ = try? await daemon.stop(signal: SIGKILL)
            throw error
        }
    }
}
