extension LogRecord {
    /// Writes the record in the API's JSON shape: request fields only when present.
    public func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("time"); json.string(time.rfc3339)
        json.key("service"); json.string(service)
        json.key("level"); json.string(severity.name)
        json.key("severity"); json.int(severity.number)
        json.key("message"); json.string(message)
        json.key("trace_id"); json.string(traceID)
        json.key("span_id"); json.string(spanID)
        if let durationMs { json.key("duration_ms"); json.double(durationMs) }
        if let status { json.key("status"); json.int(status) }
        if let route { json.key("route"); json.string(route) }
        if let method { json.key("method"); json.string(method) }
        json.key("attributes"); json.raw(attributes)
        json.endObject()
    }
}

extension [LogRecord] {
    /// The API's list shape: `{"logs":[…]}`, in the order given.
    public var jsonList: JSONWriter {
        var json = JSONWriter(capacity: 256 * count + 16)
        json.beginObject()
        json.key("logs")
        json.beginArray()
        for record in self { record.write(to: &json) }
        json.endArray()
        json.endObject()
        return json
    }
}
