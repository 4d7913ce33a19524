/// Label sets written as Alertmanager writes them (Prometheus' `model.LabelSet.String()`):
/// `{alertname="HighErrorRate", service="checkout"}` — sorted by name, `", "` between pairs,
/// values quoted with Go's `%q`. Group keys embed this text, so it must match byte for byte.
public enum LabelSetText {
    public static func render(_ labels: [String: String]) -> String {
        let names = labels.keys.sorted(by: ByteOrder.less)
        var out = "{"
        for (position, name) in names.enumerated() {
            if position > 0 { out += ", " }
            out += name + "=" + GoQuote.quote(labels[name] ?? "")
        }
        return out + "}"
    }
}
