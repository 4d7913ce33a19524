extension TraceSpan {
    /// Writes the span in the API's JSON shape; `extra` adds fields (tree position) before
    /// the attributes.
    public func write(to json: inout JSONWriter, extra: (inout JSONWriter) -> Void = { _ in }) {
        json.beginObject()
        json.key("trace_id"); json.string(traceID)
        json.key("span_id"); json.string(spanID)
        json.key("parent_span_id"); json.string(parentSpanID)
        json.key("service"); json.string(service)
        json.key("name"); json.string(name)
        json.key("kind"); json.string(kind.name)
        json.key("start"); json.string(start.rfc3339)
        json.key("duration_ms"); json.double(durationMs)
        json.key("status"); json.string(status.name)
        json.key("status_message"); json.string(statusMessage)
        extra(&json)
        json.key("attributes"); json.raw(attributes)
        json.key("events"); json.raw(events)
        if links != "[]" { json.key("links"); json.raw(links) }
        json.endObject()
    }
}
