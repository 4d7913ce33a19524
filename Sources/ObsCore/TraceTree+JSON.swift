extension TraceTree {
    /// The API's trace shape: `{"trace_id":…,"spans":[…],"logs":[…]}`, spans in tree order
    /// with their `depth` and an `orphan` marker, logs oldest first.
    public static func json(traceID: String, tree: TraceTree, logs: [LogRecord]) -> JSONWriter {
        var json = JSONWriter(capacity: 512 * tree.entries.count + 256 * logs.count + 64)
        json.beginObject()
        json.key("trace_id"); json.string(traceID)
        json.key("spans")
        json.beginArray()
        for entry in tree.entries {
            entry.span.write(to: &json) { json in
                json.key("depth"); json.int(entry.depth)
                json.key("orphan"); json.bool(entry.isOrphan)
            }
        }
        json.endArray()
        json.key("logs")
        json.beginArray()
        for log in logs.sorted(by: { $0.time < $1.time }) { log.write(to: &json) }
        json.endArray()
        json.endObject()
        return json
    }
}
