import Foundation

/// Realistic request-log lines for benchmarks: 15 services of a retail platform, their
/// routes and methods, mostly-info levels with some warnings and errors, log-normal-ish
/// latencies, trace and span ids, and a few extra attributes — about 300 bytes a line.
/// Deterministic for a seed, so runs compare.
///
/// Every line starts with `{"ts":` and a 16-digit epoch in microseconds, so a sender can
/// restamp a prepared body in place just before sending it: stored logs then arrive in
/// time order as real ones do, instead of the same few timestamps over and over (which
/// turns appends to the time indexes into random inserts and measures the wrong thing).
public struct RequestLogCorpus: Sendable {
    public static let services = [
        "gateway", "catalog", "cart", "checkout", "payment", "inventory", "notification", "user", "session",
        "search", "recommendation", "order", "shipping", "pricing", "frontend",
    ]
    static let routes = ["/api/v1/items/{id}", "/api/v1/items", "/api/v1/cart", "/api/v1/checkout", "/api/v1/pay",
                         "/api/v1/orders/{id}", "/api/v1/search", "/api/v1/users/{id}/session", "/healthz", "/api/v1/prices"]
    static let methods = ["GET", "GET", "GET", "POST", "PUT", "DELETE"]
    static let messages = ["request completed", "request served from cache", "upstream call finished",
                           "handled request", "slow request", "request failed: upstream timeout"]

    private var random: BenchRandom

    public init(seed: UInt64 = 42) {
        random = BenchRandom(seed: seed)
    }

    private mutating func hex(_ digits: Int) -> String {
        var text = ""
        while text.count < digits { text += String(random.next(), radix: 16) }
        return String(text.prefix(digits))
    }

    /// Where the timestamp digits start in every line.
    public static let timestampOffset = 6
    public static let timestampDigits = 16

    /// One NDJSON line (no newline) stamped `epochMicroseconds` (16 digits).
    public mutating func line(epochMicroseconds: Int64) -> String {
        let service = Self.services[Int(random.next() % UInt64(Self.services.count))]
        let route = Self.routes[Int(random.next() % UInt64(Self.routes.count))]
        let method = Self.methods[Int(random.next() % UInt64(Self.methods.count))]
        let roll = random.uniform()
        let (level, status) = roll < 0.02 ? ("error", 503) : roll < 0.08 ? ("warn", 429) : ("info", roll < 0.5 ? 200 : 201)
        // exp(normal) latency around 40 ms with a long tail.
        let normal = (random.uniform() + random.uniform() + random.uniform() + random.uniform() - 2) * 1.7
        let duration = (40 * exp(normal) * 1000).rounded() / 1000
        let message = Self.messages[Int(random.next() % UInt64(Self.messages.count))]
        return "{\"ts\":\(epochMicroseconds),\"service\":\"\(service)\",\"level\":\"\(level)\",\"msg\":\"\(message)\","
            + "\"trace_id\":\"\(hex(32))\",\"span_id\":\"\(hex(16))\",\"method\":\"\(method)\",\"route\":\"\(route)\","
            + "\"status\":\(status),\"duration_ms\":\(duration),\"client_ip\":\"10.\(random.next() % 256).\(random.next() % 256).\(random.next() % 256)\","
            + "\"user_agent\":\"shop-app/4.\(random.next() % 20)\",\"region\":\"eu-west-1\"}"
    }

    /// A batch body of `lines` NDJSON lines, and where each line's timestamp digits are.
    public mutating func batch(lines: Int, epochMicroseconds: Int64) -> StampedBody {
        var body = StampedBody()
        body.bytes.reserveCapacity(lines * 320)
        for index in 0..<lines {
            body.timestampOffsets.append(body.bytes.count + Self.timestampOffset)
            body.bytes.append(contentsOf: line(epochMicroseconds: epochMicroseconds + Int64(index)).utf8)
            body.bytes.append(UInt8(ascii: "\n"))
        }
        return body
    }
}

/// An NDJSON body whose timestamps can be rewritten in place.
public struct StampedBody: Sendable {
    public var bytes: [UInt8] = []
    public var timestampOffsets: [Int] = []

    /// Gives line `i` the time `epochMicroseconds + i`.
    public mutating func restamp(epochMicroseconds: Int64) {
        for (index, offset) in timestampOffsets.enumerated() {
            Self.write(epochMicroseconds + Int64(index), into: &bytes, at: offset)
        }
    }

    /// Writes a 16-digit decimal number over the digits at `offset`.
    public static func write(_ value: Int64, into bytes: inout [UInt8], at offset: Int) {
        var remaining = value
        for position in stride(from: offset + RequestLogCorpus.timestampDigits - 1, through: offset, by: -1) {
            bytes[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
        }
    }
}
