import Foundation
import ObsCore

/// The requests that make `obs bench notify`'s alerts fire and resolve: request-log lines
/// of one duration for a set of series, stamped now, sent as one NDJSON body to
/// `/ingest/logs` (acknowledged after commit and aggregation, so the next evaluation sees
/// them all), sent at a chosen offset after an evaluation boundary.
struct NotifyBenchmarkLoad: Sendable {
    /// One request series: the labels a rule's `by (service, route, method)` sees.
    struct Series: Sendable, Hashable {
        var service: String
        var route: String
        var method: String
    }

    let port: Int

    /// `services × routes × methods` series named `prefix-NNN`, `/rNN`, GET/POST/….
    static func series(prefix: String, services: Int, routes: Int, methods: Int = 1) -> [Series] {
        let methodNames = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
        var all: [Series] = []
        for service in 0..<services {
            for route in 0..<routes {
                for method in 0..<max(1, min(methods, methodNames.count)) {
                    all.append(Series(service: prefix + "-" + String(format: "%03d", service), route: String(format: "/r%02d", route),
                                      method: methodNames[method]))
                }
            }
        }
        return all
    }

    /// `count` lines per series, each taking `durationMs`, stamped `now` (epoch microseconds, one apart).
    static func body(_ series: [(Series, durationMs: Int)], linesPerSeries count: Int, now: Timestamp) -> [UInt8] {
        var text = ""
        text.reserveCapacity(series.count * count * 150)
        var stamp = now.nanoseconds / 1_000
        for (one, durationMs) in series {
            for _ in 0..<count {
                text += "{\"ts\":\(stamp),\"service\":\"\(one.service)\",\"level\":\"info\",\"msg\":\"request\",\"route\":\"\(one.route)\","
                    + "\"method\":\"\(one.method)\",\"status\":200,\"duration_ms\":\(durationMs)}\n"
                stamp += 1
            }
        }
        return Array(text.utf8)
    }

    /// Posts the body; returns the seconds it took, or why it was not all accepted.
    func post(_ body: [UInt8], lines: Int) async throws(CLIError) -> Double {
        let port = self.port
        let outcome: Result<Double, CLIError> = await BlockingThread.run("notify-load") {
            let started = DispatchTime.now().uptimeNanoseconds
            do throws(CLIError) {
                let reply = try BlockingHTTPConnection(port: port).post(path: "/ingest/logs", body: body, contentType: "application/x-ndjson")
                let accepted = IngestBenchmark.acceptedCount(in: Data(reply.body))
                guard reply.status == 200, accepted == lines else {
                    return .failure(CLIError("POST /ingest/logs: HTTP \(reply.status), accepted \(accepted.map(String.init) ?? "?") of \(lines) lines: "
                                             + String(decoding: reply.body.prefix(300), as: UTF8.self)))
                }
                return .success(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Sleeps until `offset` seconds after the next multiple of `period` seconds (wall clock),
    /// and returns that boundary.
    static func sleep(untilAfterBoundaryOf period: Double, offset: Double) async -> Timestamp {
        let periodNanoseconds = Int64(period * 1e9)
        let now = Timestamp.now().nanoseconds
        let boundary = (now / periodNanoseconds + 1) * periodNanoseconds
        let target = boundary + Int64(offset * 1e9)
        try? await Task.sleep(for: .nanoseconds(target - now))
        return Timestamp(nanoseconds: boundary)
    }
}
