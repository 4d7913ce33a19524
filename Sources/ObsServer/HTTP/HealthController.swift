import Hummingbird
import NIOCore
import ObsIngest

/// `GET /healthz` and `GET /metrics` (Prometheus text format).
struct HealthController: Sendable {
    let metrics: ObsMetrics
    let queue: IngestQueue
    /// Refreshes gauges that are read from the store (the open outbox).
    let beforeScrape: @Sendable () async -> Void

    func register(with router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("/metrics") { _, _ -> Response in
            await beforeScrape()
            metrics.queueDepth.set(to: Double(queue.depth))
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render()))
            )
        }
    }
}
