/// An alert's value for people to read, in Prometheus's spelling of the non-finite ones
/// (`NaN`, `+Inf`), which a JSON number cannot carry but a text can.
enum ValueText {
    static func of(_ value: Double?) -> String? {
        guard let value else { return nil }
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
