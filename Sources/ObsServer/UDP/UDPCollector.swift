import Logging
import NIOCore
import NIOPosix
import ObsCore
import ObsIngest
import ServiceLifecycle

/// Receives NDJSON log lines over UDP. Datagrams cannot be acknowledged: invalid lines and
/// lines refused by a full queue are counted in `/metrics` and logged at most once per
/// interval, and nothing a sender does can stop the collector.
public final class UDPCollector: Service {
    let channel: any Channel

    /// Binds the socket now, so the daemon can report the bound port before it runs.
    public static func bind(
        to address: HostPort, queue: IngestQueue, decoder: NativeBodyDecoder, metrics: ObsMetrics, logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(UDPCollector.BindError) -> UDPCollector {
        do {
            return UDPCollector(channel: try await bootstrap(queue: queue, decoder: decoder, metrics: metrics, logger: logger, group: group)
                .bind(host: address.host, port: address.port)
                .get())
        } catch {
            throw BindError(address: address, reason: "\(error)")
        }
    }

    public struct BindError: Error, CustomStringConvertible {
        public var address: HostPort
        public var reason: String
        public var description: String { "cannot listen for UDP on \(address): \(reason)" }
    }

    private static func bootstrap(
        queue: IngestQueue, decoder: NativeBodyDecoder, metrics: ObsMetrics, logger: Logger, group: any EventLoopGroup
    ) -> DatagramBootstrap {
        DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_rcvbuf), value: 8 << 20)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelOption(.maxMessagesPerRead, value: 64)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        UDPDatagramHandler(queue: queue, decoder: decoder, metrics: metrics, logger: logger)
                    )
                }
            }
    }

    private init(channel: any Channel) {
        self.channel = channel
    }

    public var boundAddress: HostPort? {
        guard let local = channel.localAddress, let port = local.port else { return nil }
        return HostPort(host: local.ipAddress ?? "?", port: port)
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try? await channel.close()
    }
}

final class UDPDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    let queue: IngestQueue
    let decoder: NativeBodyDecoder
    let logDecoder = LogRecordDecoder()
    let spanDecoder = SpanRecordDecoder()
    let metrics: ObsMetrics
    let logger: Logger
    private var lastWarning = ContinuousClock.now - .seconds(60)

    init(queue: IngestQueue, decoder: NativeBodyDecoder, metrics: ObsMetrics, logger: Logger) {
        self.queue = queue
        self.decoder = decoder
        self.metrics = metrics
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let receivedAt = Timestamp.now()
        let (logDecoder, spanDecoder) = (self.logDecoder, self.spanDecoder)
        let outcome = envelope.data.withUnsafeReadableBytes { raw in
            decoder.decode(datagram: raw.assumingMemoryBound(to: UInt8.self)) { (scanner: inout JSONScanner) throws(RecordError) in
                try NativeRecord.decode(&scanner, receivedAt: receivedAt, logs: logDecoder, spans: spanDecoder)
            }
        }
        let counters = metrics.udp
        counters.received.increment(by: Int64(outcome.records.count + outcome.rejected))
        if outcome.rejected > 0 {
            counters.rejected.increment(by: Int64(outcome.rejected))
            if outcome.records.isEmpty { metrics.badDatagrams.increment() }
            warnAtMostEveryMinute("UDP lines were rejected.", [
                "udp.sender": "\(envelope.remoteAddress)", "udp.first_error": "\(outcome.errors.first?.error ?? "")",
            ])
        }
        guard !outcome.records.isEmpty else { return }
        var logs: [LogRecord] = []
        var spans: [TraceSpan] = []
        for record in outcome.records {
            switch record {
            case .log(let log): logs.append(log)
            case .span(let span): spans.append(span)
            }
        }
        switch queue.offer(logs: logs, spans: spans) {
        case .enqueued:
            counters.accepted.increment(by: Int64(outcome.records.count))
        case .full, .closed:
            counters.dropped.increment(by: Int64(outcome.records.count))
            warnAtMostEveryMinute("UDP records were dropped: the ingest queue is full.", ["udp.dropped": "\(outcome.records.count)"])
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        warnAtMostEveryMinute("The UDP socket reported an error; the collector goes on.", ["error": "\(error)"])
    }

    private func warnAtMostEveryMinute(_ message: Logger.Message, _ metadata: Logger.Metadata) {
        let now = ContinuousClock.now
        guard now - lastWarning >= .seconds(60) else { return }
        lastWarning = now
        logger.warning(message, metadata: metadata)
    }
}
