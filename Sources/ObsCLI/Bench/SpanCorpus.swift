import ObsCore

/// Realistic spans for benchmarks: traces of 3–8 spans across the retail platform's
/// services (a server root, server and client children), 10 attributes each, about 2 % of
/// traces with an error span; fresh random ids and the current time on every call.
struct SpanCorpus {
    private var random: BenchRandom

    init(seed: UInt64 = 7) {
        random = BenchRandom(seed: seed)
    }

    private mutating func hex(_ digits: Int) -> String {
        var text = ""
        while text.count < digits { text += String(random.next() | (1 << 63), radix: 16) }
        return String(text.prefix(digits))
    }

    /// Whole traces until at least `count` spans; the last trace may overshoot.
    mutating func spans(_ count: Int, startingAt start: Timestamp, spansPerTrace: ClosedRange<Int> = 3...8) -> [TraceSpan] {
        var spans: [TraceSpan] = []
        spans.reserveCapacity(count + 8)
        while spans.count < count {
            spans += trace(spans: Int(random.next() % UInt64(spansPerTrace.count)) + spansPerTrace.lowerBound, start: start)
        }
        return spans
    }

    mutating func trace(spans count: Int, start: Timestamp) -> [TraceSpan] {
        let traceID = hex(32)
        let failing = random.next() % 50 == 0
        var spans: [TraceSpan] = []
        var parents: [String] = []
        for index in 0..<count {
            let service = RequestLogCorpus.services[Int(random.next() % UInt64(RequestLogCorpus.services.count))]
            let route = ["/api/v1/items/{id}", "/api/v1/cart", "/api/v1/checkout", "/api/v1/pay", "/api/v1/search"][Int(random.next() % 5)]
            let spanID = hex(16)
            var attributes = JSONWriter()
            attributes.beginObject()
            attributes.key("http.route"); attributes.string(route)
            attributes.key("http.request.method"); attributes.string(index == 0 ? "GET" : "POST")
            attributes.key("http.response.status_code"); attributes.int(failing && index == count - 1 ? 502 : 200)
            attributes.key("server.address"); attributes.string("\(service).internal")
            attributes.key("net.peer.port"); attributes.int(8080 + Int(random.next() % 10))
            attributes.key("user.tier"); attributes.string(["free", "plus", "gold"][Int(random.next() % 3)])
            attributes.key("cart.items"); attributes.int(Int(random.next() % 12))
            attributes.key("region"); attributes.string("eu-west-1")
            attributes.key("deployment.version"); attributes.string("4.\(random.next() % 20).\(random.next() % 5)")
            attributes.key("thread.id"); attributes.int(Int(random.next() % 64))
            attributes.endObject()
            let offset = Int64(index) * 2_000_000
            spans.append(TraceSpan(
                traceID: traceID, spanID: spanID, parentSpanID: parents.isEmpty ? nil : parents[Int(random.next() % UInt64(parents.count))],
                service: service, name: "\(index == 0 ? "GET" : "POST") \(route)", kind: index == 0 ? .server : (index % 2 == 0 ? .server : .client),
                start: start.adding(nanoseconds: offset), durationNanoseconds: Int64(random.next() % 80_000_000) + 1_000_000,
                status: failing && index == count - 1 ? .error : .unset,
                statusMessage: failing && index == count - 1 ? "upstream 502" : nil, attributes: attributes.string
            ))
            parents.append(spanID)
        }
        return spans
    }
}
