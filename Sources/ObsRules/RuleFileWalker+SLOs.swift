import Yams

extension RuleFileWalker {
    static let sloKeys = ["name", "service", "objective", "sli", "threshold", "window"]

    /// `slo "checkout-latency"`, or `slo 2` when the SLO has no usable name.
    static func sloContext(_ node: Node, index: Int) -> String {
        peekName(node, key: "name").map { "slo \(quote($0))" } ?? "slo \(index)"
    }

    /// A `slos:` entry; nil when it has any problem (an SLO has nothing to check later).
    mutating func slo(_ node: Node, index: Int) -> SLOSpec? {
        let context = Self.sloContext(node, index: index)
        let problemsBefore = problems.count
        guard let entries = fields(node, field: nil, at: node, context) else { return nil }
        var nameKey: Node?
        var name: String?
        var service: String?
        var sawService = false
        var objective: Double?
        var sawObjective = false
        var sli: SLOSpec.Indicator?
        var sliKey: Node?
        var threshold: Duration?
        var thresholdKey: Node?
        var window = SLOSpec.defaultWindow
        for entry in entries {
            switch entry.name {
            case "name":
                nameKey = entry.key
                guard let text = nonEmptyText(entry, context), !Self.isBlank(text) else { continue }
                name = text
                if let first = names.slos[text] {
                    problem(entry.key, context, "duplicate slo name \(Self.quote(text)) (first at \(first))")
                } else {
                    names.slos[text] = location(entry.key)
                }
            case "service":
                sawService = true
                guard let text = nonEmptyText(entry, context), !Self.isBlank(text) else { continue }
                service = text
            case "objective":
                sawObjective = true
                objective = self.objective(entry, context)
            case "sli":
                sliKey = entry.key
                guard let text = text(entry, context) else { continue }
                guard let indicator = SLOSpec.Indicator(rawValue: text) else {
                    problem(entry.key, context, "sli: \(Self.quote(text)) is not errors or latency")
                    continue
                }
                sli = indicator
            case "threshold":
                thresholdKey = entry.key
                threshold = duration(entry, context, positive: true)
            case "window":
                if let duration = duration(entry, context, positive: true) { window = duration }
            default:
                unknown(entry, context, allowed: Self.sloKeys)
            }
        }
        let start = nameKey.map(location) ?? location(node)
        if nameKey == nil { problem(node, context, "an slo needs name: NAME") }
        if !sawService { problem(at: start, context, "an slo needs service: SERVICE") }
        if !sawObjective { problem(at: start, context, "an slo needs objective: PERCENT (e.g. 99.9%)") }
        if let sliKey {
            if sli == .latency, thresholdKey == nil {
                problem(sliKey, context, "sli: latency needs threshold: DURATION (e.g. 2s)")
            }
            if sli == .errors, let thresholdKey {
                problem(thresholdKey, context, "threshold: only applies to sli: latency")
            }
        } else {
            problem(at: start, context, "an slo needs sli: errors or sli: latency")
        }
        guard problems.count == problemsBefore, let name, let service, let objective, let sli else { return nil }
        return SLOSpec(
            name: name, service: service, objective: objective, sli: sli,
            threshold: sli == .latency ? threshold : nil, window: window, location: start
        )
    }

    /// `99.99%` or `0.9999`, strictly between 0 and 1.
    mutating func objective(_ field: Field, _ context: String?) -> Double? {
        guard let text = text(field, context) else { return nil }
        var number = Substring(text).trimmingPrefix(while: { $0 == " " })
        while number.last == " " { number.removeLast() }
        let percent = number.hasSuffix("%")
        if percent {
            number.removeLast()
            while number.last == " " { number.removeLast() }
        }
        guard let value = Self.decimal(number, shiftingPointLeftBy: percent ? 2 : 0) else {
            problem(field.key, context, "objective: \(Self.quote(text)) is not a percentage or a fraction (e.g. 99.9% or 0.999)")
            return nil
        }
        guard value > 0, value < 1 else {
            let hint = !percent && value > 1 && value < 100 ? " (did you mean \(number)%?)" : ""
            problem(field.key, context, "objective: \(Self.quote(text)) must be more than 0% and less than 100%\(hint)")
            return nil
        }
        return value
    }

    /// `99.99` shifted by 2 is 0.9999, parsed from the text `0.9999` so it is the closest Double to what was written.
    static func decimal(_ text: Substring, shiftingPointLeftBy shift: Int) -> Double? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts.first ?? ""
        let fraction = parts.count > 1 ? parts[1] : ""
        let isDigits: (Substring) -> Bool = { $0.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }
        guard isDigits(whole), isDigits(fraction), !(whole.isEmpty && fraction.isEmpty) else { return nil }
        let digits = String(whole) + String(fraction)
        let point = whole.count - shift
        let shifted = point > 0
            ? String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            : "0." + String(repeating: "0", count: -point) + digits
        return Double(shifted)
    }
}
