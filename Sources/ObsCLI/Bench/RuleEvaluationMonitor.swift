import Foundation
import ObsCore
import Synchronization

/// Watches a daemon's rule engine through `GET /api/v1/rules`, every `period`, on a thread of
/// its own: each group's `evaluationTime` per `lastEvaluation` (an interval boundary), every
/// rule that reported `health: err` with its `lastError`, and the active alerts.
///
/// A round is the evaluations of every watched group at one boundary. Groups run
/// concurrently, so a round's wall time is its slowest group; its work is their sum.
final class RuleEvaluationMonitor: Sendable {
    struct Round: Sendable {
        var boundary: Timestamp
        var slowestSeconds: Double
        var slowestGroup: String
        var totalSeconds: Double
    }

    private struct State {
        /// Boundary (ns) → group → seconds.
        var evaluations: [Int64: [String: Double]] = [:]
        /// "group / rule" → last error.
        var unhealthy: [String: String] = [:]
        var pollSeconds: [Double] = []
        var pollFailures = 0
        var rules = 0
        var pending = 0
        var firing = 0
    }

    private let port: Int
    private let period: Duration
    private let state = Mutex(State())
    private let stopping = Atomic<Bool>(false)
    private let running = Atomic<Bool>(false)

    init(port: Int, period: Duration = .seconds(2)) {
        self.port = port
        self.period = period
    }

    func start() {
        running.store(true, ordering: .relaxed)
        let thread = Thread { self.watch() }
        thread.name = "rules-monitor"
        thread.start()
    }

    func stop() async {
        stopping.store(true, ordering: .relaxed)
        while running.load(ordering: .relaxed) {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    private func watch() {
        defer { running.store(false, ordering: .relaxed) }
        var client = try? BlockingHTTPConnection(port: port)
        let periodNanoseconds = UInt64(period.totalNanoseconds)
        var next = DispatchTime.now().uptimeNanoseconds
        while !stopping.load(ordering: .relaxed) {
            if client == nil { client = try? BlockingHTTPConnection(port: port) }
            let sent = DispatchTime.now().uptimeNanoseconds
            if let reply = try? client?.get(path: "/api/v1/rules"), reply.status == 200 {
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - sent) / 1e9
                record(Data(reply.body), seconds: seconds)
            } else {
                client = nil
                state.withLock { $0.pollFailures += 1 }
            }
            next += periodNanoseconds
            while DispatchTime.now().uptimeNanoseconds < next, !stopping.load(ordering: .relaxed) {
                usleep(20_000)
            }
        }
    }

    private func record(_ body: Data, seconds: Double) {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let data = object["data"] as? [String: Any], let groups = data["groups"] as? [[String: Any]] else {
            state.withLock { $0.pollFailures += 1 }
            return
        }
        var evaluations: [(Int64, String, Double)] = []
        var unhealthy: [(String, String)] = []
        var rules = 0, pending = 0, firing = 0
        for group in groups {
            guard let name = group["name"] as? String else { continue }
            if let last = group["lastEvaluation"] as? String, case .success(let time) = Timestamp.parse(last), time.nanoseconds > 0,
               let evaluation = (group["evaluationTime"] as? NSNumber)?.doubleValue {
                evaluations.append((time.nanoseconds, name, evaluation))
            }
            for rule in group["rules"] as? [[String: Any]] ?? [] {
                rules += 1
                if rule["health"] as? String == "err" {
                    unhealthy.append(("\(name) / \(rule["name"] as? String ?? "?")", rule["lastError"] as? String ?? ""))
                }
                for alert in rule["alerts"] as? [[String: Any]] ?? [] {
                    switch alert["state"] as? String {
                    case "pending": pending += 1
                    case "firing": firing += 1
                    default: break
                    }
                }
            }
        }
        state.withLock { state in
            state.pollSeconds.append(seconds)
            for (boundary, group, evaluation) in evaluations { state.evaluations[boundary, default: [:]][group] = evaluation }
            for (rule, error) in unhealthy { state.unhealthy[rule] = error }
            (state.rules, state.pending, state.firing) = (rules, pending, firing)
        }
    }

    /// The complete rounds — every group of `groups` seen at the boundary — with boundaries in [from, until).
    func rounds(of groups: Set<String>, from: Timestamp, until: Timestamp) -> [Round] {
        let evaluations = state.withLock { $0.evaluations }
        return evaluations.keys.sorted().compactMap { boundary -> Round? in
            guard boundary >= from.nanoseconds, boundary < until.nanoseconds, let byGroup = evaluations[boundary] else { return nil }
            let watched = byGroup.filter { groups.contains($0.key) }
            guard watched.count == groups.count, let slowest = watched.max(by: { $0.value < $1.value }) else { return nil }
            return Round(boundary: Timestamp(nanoseconds: boundary), slowestSeconds: slowest.value, slowestGroup: slowest.key,
                         totalSeconds: watched.values.reduce(0, +))
        }
    }

    /// Rules seen with `health: err`, and their last error.
    var unhealthyRules: [String: String] { state.withLock { $0.unhealthy } }

    /// Rules, pending and firing alerts at the last poll.
    var lastCounts: (rules: Int, pending: Int, firing: Int) { state.withLock { ($0.rules, $0.pending, $0.firing) } }

    var pollLatencies: LatencySummary { LatencySummary(state.withLock { $0.pollSeconds }) }

    var pollFailures: Int { state.withLock { $0.pollFailures } }
}
