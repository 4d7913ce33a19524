/// A trace's spans in tree order: each parent before its children, siblings by start time.
///
/// Spans arrive in any order and in several requests; the tree is built when read. A span
/// whose parent is not (yet) stored is an orphan: it is listed under the root (depth 1) and
/// marked, rather than treated as an error.
public struct TraceTree: Sendable {
    public struct Entry: Sendable, Equatable {
        public var span: TraceSpan
        public var depth: Int
        public var isOrphan: Bool
    }

    public let entries: [Entry]

    public init(spans: [TraceSpan]) {
        let ids = Set(spans.map(\.spanID))
        var children: [String: [TraceSpan]] = [:]
        var roots: [TraceSpan] = []
        var orphans: [TraceSpan] = []
        for span in spans {
            if let parent = span.parentSpanID {
                if ids.contains(parent), parent != span.spanID {
                    children[parent, default: []].append(span)
                } else {
                    orphans.append(span)
                }
            } else {
                roots.append(span)
            }
        }
        let byStart: (TraceSpan, TraceSpan) -> Bool = {
            ($0.start, $0.spanID) < ($1.start, $1.spanID)
        }
        var entries: [Entry] = []
        var visited = Set<String>()
        func visit(_ span: TraceSpan, depth: Int, orphan: Bool) {
            // A cycle of parent ids (bad input) must not loop forever.
            guard visited.insert(span.spanID).inserted else { return }
            entries.append(Entry(span: span, depth: depth, isOrphan: orphan))
            for child in (children[span.spanID] ?? []).sorted(by: byStart) {
                visit(child, depth: depth + 1, orphan: false)
            }
        }
        let sortedRoots = roots.sorted(by: byStart)
        for (index, root) in sortedRoots.enumerated() {
            visit(root, depth: 0, orphan: false)
            // Orphans hang under the first root.
            if index == 0 {
                for orphan in orphans.sorted(by: byStart) { visit(orphan, depth: 1, orphan: true) }
            }
        }
        if sortedRoots.isEmpty {
            for orphan in orphans.sorted(by: byStart) { visit(orphan, depth: 0, orphan: true) }
        }
        // Spans only reachable through a cycle.
        for span in spans.sorted(by: byStart) where !visited.contains(span.spanID) {
            visit(span, depth: 0, orphan: true)
        }
        self.entries = entries
    }
}
