/// A caller → callee edge of the service graph: spans of `callee` whose parent span belongs
/// to `caller`, with their count, errors and 95th-percentile duration.
public struct ServiceEdge: Sendable, Equatable {
    public var caller: String
    public var callee: String
    public var calls: Int
    public var errors: Int
    public var p95Milliseconds: Double

    public init(caller: String, callee: String, calls: Int, errors: Int, p95Milliseconds: Double) {
        self.caller = caller
        self.callee = callee
        self.calls = calls
        self.errors = errors
        self.p95Milliseconds = p95Milliseconds
    }

    /// Edges from spans: each span whose parent is among them and of another service counts
    /// as one call from the parent's service to its own. p95 is exact (nearest rank).
    public static func graph(_ spans: [TraceSpan]) -> [ServiceEdge] {
        struct Key: Hashable { let trace: String, span: String }
        var serviceOf: [Key: String] = [:]
        for span in spans { serviceOf[Key(trace: span.traceID, span: span.spanID)] = span.service }
        var durations: [[String]: [Int64]] = [:]
        var errors: [[String]: Int] = [:]
        for span in spans {
            guard let parent = span.parentSpanID, let caller = serviceOf[Key(trace: span.traceID, span: parent)],
                  caller != span.service else { continue }
            durations[[caller, span.service], default: []].append(span.durationNanoseconds)
            if span.status == .error { errors[[caller, span.service], default: 0] += 1 }
        }
        return durations.map { key, values in
            let sorted = values.sorted()
            let rank = max(0, Int((0.95 * Double(sorted.count)).rounded(.up)) - 1)
            return ServiceEdge(caller: key[0], callee: key[1], calls: values.count, errors: errors[key] ?? 0,
                               p95Milliseconds: Double(sorted[rank]) / 1e6)
        }.sorted { ($0.caller, $0.callee) < ($1.caller, $1.callee) }
    }
}

extension [ServiceEdge] {
    /// `{"edges":[{"caller","callee","calls","errors","p95_ms"}]}`.
    public var jsonList: JSONWriter {
        var json = JSONWriter()
        json.beginObject()
        json.key("edges")
        json.beginArray()
        for edge in self {
            json.beginObject()
            json.key("caller"); json.string(edge.caller)
            json.key("callee"); json.string(edge.callee)
            json.key("calls"); json.int(edge.calls)
            json.key("errors"); json.int(edge.errors)
            json.key("p95_ms"); json.double(edge.p95Milliseconds)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json
    }
}
