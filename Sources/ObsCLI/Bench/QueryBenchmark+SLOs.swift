import Foundation
import ObsAggregate
import ObsCore
import ObsQuery
import ObsStorage

extension QueryBenchmark {
    /// The SLOs `obs query slos` reports in the benchmark: DESIGN.md's two over the
    /// per-service series, and one over a route regex (the per-route series).
    static let benchmarkSLOs = [
        SLODefinition(name: "checkout-availability", service: "checkout", objective: 0.9999, indicator: .errors, windowSeconds: 30 * 86_400),
        SLODefinition(name: "checkout-latency", service: "checkout", objective: 0.95, indicator: .latency, thresholdMs: 2000,
                      windowSeconds: 30 * 86_400),
        SLODefinition(name: "checkout-top-routes", service: "checkout", route: "/api/v1/resource-[0-9]/.*", objective: 0.999,
                      indicator: .errors, windowSeconds: 30 * 86_400),
    ]

    /// `obs query slos` as the daemon answers it (every SLO: its 30 d window and four burn
    /// rates), timed `repetitions` times at the end of the data.
    func timeSLOReport(store: SQLiteRollupStore, end: Int64) async throws(CLIError) -> String {
        let evaluator = QueryEvaluator(source: RollupQuerySource(reader: store, aggregator: nil), slos: SLOCatalog(Self.benchmarkSLOs))
        let now = Timestamp(nanoseconds: end * 1_000_000_000)
        var seconds: [Double] = []
        var report: [SLOStatus] = []
        for _ in 0..<options.repetitions {
            let started = DispatchTime.now().uptimeNanoseconds
            do { report = try await evaluator.sloReport(at: now) } catch { throw CLIError("slos: \(error)") }
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        }
        let summary = LatencySummary(seconds)
        let totals = report.map { "\($0.slo.name) \($0.counts.total) requests" }.joined(separator: ", ")
        return "  obs query slos (\(report.count) SLOs over 30 d windows + 5m/1h/6h/3d burn rates)\n    p50 \(summary.milliseconds(50)), p95 \(summary.milliseconds(95)), max \(summary.milliseconds(100)); \(totals)"
    }
}
