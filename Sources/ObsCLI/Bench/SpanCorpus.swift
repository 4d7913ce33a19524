import ObsCore

/// Realistic spans for benchmarks: traces of 3–8 spans across the retail platform's
/// services (a server root, server and client children), 10 attributes each, about 2 % of
/// traces with an error span; fresh random ids and the current time on every call.
struct SpanCorpus {
    private var state: UInt64

    init(seed: UInt64 = 7) {
        state = seed
    }

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func hex(_ digits: Int) -> String {
        var text = ""
        while text.count < digits { text += String(next() | (1 << 63), radix: 16) }
        return String(text.prefix(digits))
    }

    /// Whole traces until at least `count` spans; the last trace may overshoot.
    mutating func spans(_ count: Int, startingAt start: Timestamp, spansPerTrace: ClosedRange<Int> = 3...8) -> [TraceSpan] {
        var spans: [TraceSpan] = []
        spans.reserveCapacity(count + 8)
        while spans.count < count {
            spans += trace(spans: Int(next() % UInt64(spansPerTrace.count)) + spansPerTrace.lowerBound, start: start)
        }
        return spans
    }

    mutating func trace(spans count: Int, start: Timestamp) -> [TraceSpan] {
        let traceID = hex(32)
        let failing = next() % 50 == 0
        var spans: [TraceSpan] = []
        var parents: [String] = []
        for index in 0..<count {
            let service = RequestLogCorpus.services[Int(next() % UInt64(RequestLogCorpus.services.count))]
            let route = ["/api/v1/items/{id}", "/api/v1/cart", "/api/v1/checkout", "/api/v1/pay", "/api/v1/search"][Int(next() % 5)]
            let spanID = hex(16)
            var attributes = JSONWriter()
            attributes.beginObject()
            attributes.key("http.route"); attributes.string(route)
            attributes.key("http.request.method"); attributes.string(index == 0 ? "GET" : "POST")
            attributes.key("http.response.status_code"); attributes.int(failing && index == count - 1 ? 502 : 200)
            attributes.key("server.address"); attributes.string("\(service).internal")
            attributes.key("net.peer.port"); attributes.int(8080 + Int(next() % 10))
            attributes.key("user.tier"); attributes.string(["free", "plus", "gold"][Int(next() % 3)])
            attributes.key("cart.items"); attributes.int(Int(next() % 12))
            attributes.key("region"); attributes.string("eu-west-1")
            attributes.key("deployment.version"); attributes.string("4.\(next() % 20).\(next() % 5)")
            attributes.key("thread.id"); attributes.int(Int(next() % 64))
            attributes.endObject()
            let offset = Int64(index) * 2_000_000
            spans.append(TraceSpan(
                traceID: traceID, spanID: spanID, parentSpanID: parents.isEmpty ? nil : parents[Int(next() % UInt64(parents.count))],
                service: service, name: "\(index == 0 ? "GET" : "POST") \(route)", kind: index == 0 ? .server : (index % 2 == 0 ? .server : .client),
                start: start.adding(nanoseconds: offset), durationNanoseconds: Int64(next() % 80_000_000) + 1_000_000,
                status: failing && index == count - 1 ? .error : .unset,
                statusMessage: failing && index == count - 1 ? "upstream 502" : nil, attributes: attributes.string
            ))
            parents.append(spanID)
        }
        return spans
    }
}
