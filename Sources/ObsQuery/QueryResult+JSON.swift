import ObsCore

extension QueryResult {
    /// Prometheus' response shape: `{"status":"success","data":{"resultType":…,"result":[…]}}`
    /// with `value: [unix seconds, "text"]` for a vector or scalar and `values: [[…], …]` for
    /// a matrix, so Prometheus clients and Grafana read it as they read Prometheus.
    public var prometheusJSON: JSONWriter {
        var json = JSONWriter(capacity: 256 + series.count * 96)
        json.beginObject()
        json.key("status"); json.string("success")
        json.key("data"); json.beginObject()
        json.key("resultType"); json.string(kind.rawValue)
        json.key("result")
        if kind == .scalar, let point = series.first?.points.first {
            Self.write(point, into: &json)
        } else {
            json.beginArray()
            for one in series {
                json.beginObject()
                json.key("metric"); json.beginObject()
                for (name, value) in one.labels.sorted(by: { $0.key < $1.key }) {
                    json.key(name); json.string(value)
                }
                json.endObject()
                if kind == .matrix {
                    json.key("values"); json.beginArray()
                    for point in one.points { Self.write(point, into: &json) }
                    json.endArray()
                } else if let point = one.points.first {
                    json.key("value"); Self.write(point, into: &json)
                }
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
        json.endObject()
        return json
    }

    private static func write(_ point: QueryPoint, into json: inout JSONWriter) {
        json.beginArray()
        json.raw(unixSeconds(point.time))
        json.string(valueText(point.value))
        json.endArray()
    }

    /// `1732550400` or `1732550400.25`: seconds with the fraction Prometheus clients expect.
    static func unixSeconds(_ time: Timestamp) -> String {
        let seconds = time.nanoseconds / 1_000_000_000
        let fraction = time.nanoseconds % 1_000_000_000
        guard fraction != 0 else { return String(seconds) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 9 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(seconds).\(digits)"
    }

    /// Values travel as strings, as in Prometheus (`"NaN"`, `"+Inf"` included).
    public static func valueText(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return Expression.format(value)
    }

    /// The Prometheus error body: `{"status":"error","errorType":"bad_data","error":"…"}`.
    public static func errorJSON(_ message: String, type: String = "bad_data") -> JSONWriter {
        var json = JSONWriter()
        json.beginObject()
        json.key("status"); json.string("error")
        json.key("errorType"); json.string(type)
        json.key("error"); json.string(message)
        json.endObject()
        return json
    }
}
