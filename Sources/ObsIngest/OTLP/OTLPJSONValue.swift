import ObsCore

/// OTLP/JSON's `AnyValue` and `KeyValue` lists, turned into plain JSON for storage:
/// `[{"key":"k","value":{"intValue":"2"}}]` becomes `{"k":2}`. 64-bit integers arrive as
/// strings (proto3 JSON) or numbers and are written as numbers; bytes stay base64 strings.
enum OTLPJSONValue {
    /// Reads a `KeyValue` array into (key, JSON text) pairs, in order.
    static func keyValues(_ s: inout JSONScanner, depth: Int) throws(JSONSyntaxError) -> [(key: String, json: String)] {
        var pairs: [(key: String, json: String)] = []
        guard try s.peekKind() == .array else {
            if try s.peekKind() == .null { try s.skipValue(depth: depth); return [] }
            throw s.error("expected an array of key/value objects")
        }
        try s.forEachElement(depth: depth) { (s: inout JSONScanner, _: Int) throws(JSONSyntaxError) in
            var key = ""
            var json = "null"
            try s.forEachMember(depth: depth + 1) { (s: inout JSONScanner, name: String, _: Range<Int>) throws(JSONSyntaxError) in
                switch name {
                case "key": key = try s.readString()
                case "value":
                    var writer = JSONWriter()
                    try anyValue(&s, into: &writer, depth: depth + 2)
                    json = writer.string
                default: try s.skipValue(depth: depth + 2)
                }
            }
            pairs.append((key, json))
        }
        return pairs
    }

    /// A span event as stored: `{"name":…,"time":…,"attributes":{…}}`.
    static func event(name: String, time: UInt64, attributes: String) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("name"); writer.string(name)
        if time > 0, time <= UInt64(Int64.max) { writer.key("time"); writer.string(Timestamp(nanoseconds: Int64(time)).rfc3339) }
        writer.key("attributes"); writer.raw(attributes)
        writer.endObject()
        return writer.string
    }

    /// A span link as stored: `{"trace_id":…,"span_id":…,"attributes":{…}}`, ids lowercase hex.
    static func link(traceID: String, spanID: String, attributes: String) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("trace_id"); writer.string(traceID.lowercased())
        writer.key("span_id"); writer.string(spanID.lowercased())
        writer.key("attributes"); writer.raw(attributes)
        writer.endObject()
        return writer.string
    }

    static func object(_ pairs: [(key: String, json: String)]) -> String {
        guard !pairs.isEmpty else { return "{}" }
        var writer = JSONWriter()
        writer.beginObject()
        for pair in pairs {
            writer.key(pair.key)
            writer.raw(pair.json)
        }
        writer.endObject()
        return writer.string
    }

    /// Writes one `AnyValue` object as plain JSON.
    static func anyValue(_ s: inout JSONScanner, into writer: inout JSONWriter, depth: Int) throws(JSONSyntaxError) {
        guard try s.peekKind() == .object else {
            // Tolerate a bare value where an AnyValue object was expected.
            let value = try s.skipValue(depth: depth)
            writer.raw(s.text(value.range))
            return
        }
        var wrote = false
        try s.forEachMember(depth: depth) { (s: inout JSONScanner, name: String, _: Range<Int>) throws(JSONSyntaxError) in
            switch name {
            case "stringValue", "bytesValue":
                writer.string(try s.readString())
            case "boolValue":
                writer.bool(try s.readBool())
            case "intValue":
                let kind = try s.peekKind()
                let text = kind == .string ? try s.readString() : s.text(try s.readNumber())
                guard let number = Int64(text) else { throw s.error("intValue \"\(text)\" is not a 64-bit integer") }
                writer.raw(String(number))
            case "doubleValue":
                let kind = try s.peekKind()
                if kind == .string {
                    // proto3 JSON writes NaN and Infinity as strings; JSON has no such numbers.
                    let text = try s.readString()
                    if let value = Double(text) { writer.double(value) } else { writer.null() }
                } else {
                    // Through Double, so both encodings of the same value store the same text.
                    writer.double(Double(s.text(try s.readNumber())) ?? .nan)
                }
            case "arrayValue":
                writer.beginArray()
                try s.forEachMember(depth: depth + 1) { (s: inout JSONScanner, name: String, _: Range<Int>) throws(JSONSyntaxError) in
                    guard name == "values" else { try s.skipValue(depth: depth + 2); return }
                    try s.forEachElement(depth: depth + 2) { (s: inout JSONScanner, _: Int) throws(JSONSyntaxError) in
                        try anyValue(&s, into: &writer, depth: depth + 3)
                    }
                }
                writer.endArray()
            case "kvlistValue":
                var pairs: [(key: String, json: String)] = []
                try s.forEachMember(depth: depth + 1) { (s: inout JSONScanner, name: String, _: Range<Int>) throws(JSONSyntaxError) in
                    guard name == "values" else { try s.skipValue(depth: depth + 2); return }
                    pairs = try keyValues(&s, depth: depth + 2)
                }
                writer.raw(object(pairs))
            default:
                try s.skipValue(depth: depth + 1)
                return
            }
            wrote = true
        }
        if !wrote { writer.null() }
    }

    /// An `AnyValue` as text: a string's own characters, anything else as JSON ("" for none).
    static func text(_ s: inout JSONScanner, depth: Int) throws(JSONSyntaxError) -> String {
        if try s.peekKind() == .object {
            var probe = s
            var string: String?
            try probe.forEachMember(depth: depth) { (s: inout JSONScanner, name: String, _: Range<Int>) throws(JSONSyntaxError) in
                if name == "stringValue" { string = try s.readString() } else { try s.skipValue(depth: depth + 1) }
            }
            if let string {
                s = probe
                return string
            }
        }
        var writer = JSONWriter()
        try anyValue(&s, into: &writer, depth: depth)
        return writer.string == "null" ? "" : writer.string
    }

    /// A `fixed64`/`uint64` nanosecond time, sent as a string or a number.
    static func nanoseconds(_ s: inout JSONScanner) throws(JSONSyntaxError) -> UInt64? {
        let kind = try s.peekKind()
        let text: String
        switch kind {
        case .string: text = try s.readString()
        case .number: text = s.text(try s.readNumber())
        default:
            try s.skipValue(depth: 8)
            return nil
        }
        return UInt64(text)
    }
}
