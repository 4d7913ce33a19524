import ObsCore
import Testing

@Suite("Trace tree")
struct TraceTreeTests {
    func span(_ id: String, parent: String?, start: Int64) -> TraceSpan {
        TraceSpan(traceID: String(repeating: "a", count: 32), spanID: id, parentSpanID: parent, name: id,
                  start: Timestamp(nanoseconds: start), durationNanoseconds: 1)
    }

    @Test("parents before children, siblings by start, whatever the arrival order")
    func order() {
        let tree = TraceTree(spans: [
            span("c2", parent: "b", start: 30), span("b", parent: "a", start: 10), span("c1", parent: "b", start: 20),
            span("a", parent: nil, start: 0), span("d", parent: "a", start: 15),
        ])
        #expect(tree.entries.map(\.span.spanID) == ["a", "b", "c1", "c2", "d"])
        #expect(tree.entries.map(\.depth) == [0, 1, 2, 2, 1])
        #expect(tree.entries.allSatisfy { !$0.isOrphan })
    }

    @Test("a span whose parent is missing is listed under the root, marked")
    func orphans() {
        let tree = TraceTree(spans: [span("x", parent: "missing", start: 5), span("a", parent: nil, start: 0), span("y", parent: "x", start: 6)])
        #expect(tree.entries.map(\.span.spanID) == ["a", "x", "y"])
        #expect(tree.entries.map(\.depth) == [0, 1, 2])
        #expect(tree.entries.map(\.isOrphan) == [false, true, false])
    }

    @Test("no root at all, and parent cycles, still list every span once")
    func degenerate() {
        let rootless = TraceTree(spans: [span("x", parent: "gone", start: 1), span("y", parent: "gone", start: 0)])
        #expect(rootless.entries.map(\.span.spanID) == ["y", "x"])
        #expect(rootless.entries.allSatisfy { $0.isOrphan })
        let cycle = TraceTree(spans: [span("p", parent: "q", start: 0), span("q", parent: "p", start: 1)])
        #expect(cycle.entries.map(\.span.spanID).sorted() == ["p", "q"])
    }
}

@Suite("Service graph")
struct ServiceGraphTests {
    @Test("calls across services, with errors and an exact p95; same-service children are not calls")
    func edges() {
        var spans: [TraceSpan] = []
        for index in 0..<20 {
            let trace = String(repeating: index % 2 == 0 ? "a" : "b", count: 30) + String(format: "%02d", index)
            spans.append(TraceSpan(traceID: trace, spanID: "0000000000000001", service: "gateway", name: "root",
                                   start: Timestamp(nanoseconds: 0), durationNanoseconds: 100))
            spans.append(TraceSpan(traceID: trace, spanID: "0000000000000002", parentSpanID: "0000000000000001", service: "cart",
                                   name: "call", start: Timestamp(nanoseconds: 1), durationNanoseconds: Int64(index + 1) * 1_000_000,
                                   status: index == 3 ? .error : .unset))
            spans.append(TraceSpan(traceID: trace, spanID: "0000000000000003", parentSpanID: "0000000000000002", service: "cart",
                                   name: "inner", start: Timestamp(nanoseconds: 2), durationNanoseconds: 1))
        }
        // A child whose parent is not among the spans is not an edge.
        spans.append(TraceSpan(traceID: String(repeating: "c", count: 32), spanID: "0000000000000009", parentSpanID: "00000000000000ff",
                               service: "search", name: "x", start: Timestamp(nanoseconds: 0), durationNanoseconds: 1))
        #expect(ServiceEdge.graph(spans) == [ServiceEdge(caller: "gateway", callee: "cart", calls: 20, errors: 1, p95Milliseconds: 19)])
    }
}
