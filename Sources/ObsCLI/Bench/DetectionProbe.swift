import Foundation
import ObsCore

/// How long a daemon takes from a bad request to a firing alert: each trial waits a random
/// moment, sends one request-log line of a new service `detect-N` taking `durationMs`, then
/// asks `GET /api/v1/alerts` every `pollPeriod` until that service's alert is firing.
/// Blocking sockets: run it on a thread of its own (`BlockingThread`).
struct DetectionProbe: Sendable {
    struct Trial: Sendable {
        var service: String
        /// Seconds from just before sending to the poll that saw the alert firing; nil: not seen within the timeout.
        var latency: Double?
        /// Seconds from the first evaluation boundary after sending to that poll.
        var afterBoundary: Double?
    }

    var port: Int
    var trials: Int
    var seed: UInt64 = 8
    /// The rule group's interval: the random moment is uniform over one.
    var interval: Double = 10
    var durationMs = 5000
    var pollPeriod: Double = 0.02
    var timeout: Double = 30

    func run(progress: @Sendable (String) -> Void) -> Result<[Trial], CLIError> {
        var random = BenchRandom(seed: seed)
        let sender: BlockingHTTPConnection, poller: BlockingHTTPConnection
        do {
            sender = try BlockingHTTPConnection(port: port)
            poller = try BlockingHTTPConnection(port: port)
        } catch {
            return .failure(error)
        }
        var results: [Trial] = []
        for trial in 1...max(1, trials) {
            usleep(UInt32(random.uniform() * interval * 1e6))
            let service = "detect-\(trial)"
            let sentAt = Timestamp.now()
            let line = "{\"ts\":\(sentAt.nanoseconds / 1_000),\"service\":\"\(service)\",\"level\":\"warn\",\"msg\":\"slow request\","
                + "\"method\":\"GET\",\"route\":\"/api/v1/detect\",\"status\":200,\"duration_ms\":\(durationMs)}\n"
            let sent = DispatchTime.now().uptimeNanoseconds
            do {
                let reply = try sender.post(path: "/ingest/logs", body: Array(line.utf8), contentType: "application/x-ndjson")
                guard reply.status == 200, IngestBenchmark.acceptedCount(in: Data(reply.body)) == 1 else {
                    return .failure(CLIError("the detection line was not accepted: HTTP \(reply.status) \(String(decoding: reply.body, as: UTF8.self))"))
                }
            } catch {
                return .failure(error)
            }
            let intervalNanoseconds = Int64(interval * 1e9)
            let boundary = (sentAt.nanoseconds / intervalNanoseconds + 1) * intervalNanoseconds
            var result = Trial(service: service)
            var tick = sent
            while Double(DispatchTime.now().uptimeNanoseconds - sent) / 1e9 < timeout {
                guard let reply = try? poller.get(path: "/api/v1/alerts"), reply.status == 200 else {
                    return .failure(CLIError("GET /api/v1/alerts failed"))
                }
                if Self.firing(service, in: reply.body) {
                    let seen = DispatchTime.now().uptimeNanoseconds
                    result.latency = Double(seen - sent) / 1e9
                    result.afterBoundary = Double(Timestamp.now().nanoseconds - boundary) / 1e9
                    break
                }
                tick += UInt64(pollPeriod * 1e9)
                let now = DispatchTime.now().uptimeNanoseconds
                if tick > now { usleep(UInt32((tick - now) / 1_000)) }
            }
            progress("  trial \(trial)/\(trials): \(result.latency.map { String(format: "%.2f s", $0) } ?? "not firing after \(Int(timeout)) s")")
            results.append(result)
        }
        return .success(results)
    }

    /// Whether the alerts body holds a firing alert of `service` (a cheap text test first: the
    /// body lists every active alert, and most polls find none of this service).
    static func firing(_ service: String, in body: [UInt8]) -> Bool {
        let text = String(decoding: body, as: UTF8.self)
        guard text.contains("\"\(service)\"") else { return false }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let data = object["data"] as? [String: Any], let alerts = data["alerts"] as? [[String: Any]] else { return false }
        return alerts.contains { alert in
            (alert["labels"] as? [String: Any])?["service"] as? String == service && alert["state"] as? String == "firing"
        }
    }
}
