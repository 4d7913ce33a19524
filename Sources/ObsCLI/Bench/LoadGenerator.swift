import Foundation
import ObsCore

/// `obs bench query`'s request generator: deterministic, cheap, realistic enough in shape.
struct LoadGenerator {
    private var random: BenchRandom
    let zipfCumulative: [Double]

    init(seed: UInt64, routes: Int) {
        random = BenchRandom(seed: seed)
        var cumulative: [Double] = []
        var total = 0.0
        for rank in 1...max(1, routes) {
            total += 1 / Double(rank)
            cumulative.append(total)
        }
        zipfCumulative = cumulative.map { $0 / total }
    }

    mutating func record(at time: Timestamp, services: [String], routes: [String]) -> LogRecord {
        let service = services[Int(random.next() % UInt64(services.count))]
        let draw = random.uniform()
        var low = 0, high = zipfCumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if zipfCumulative[middle] < draw { low = middle + 1 } else { high = middle }
        }
        let isError = random.next() % 1000 == 0
        let median = 20.0 + Double(low % 17) * 15
        let duration = median * exp(0.6 * random.normal())
        return LogRecord(
            time: time, service: service, severity: isError ? .error : .info, message: "request",
            durationMs: duration, status: isError ? 503 : 200, route: routes[low], method: low % 2 == 0 ? "GET" : "POST"
        )
    }
}
