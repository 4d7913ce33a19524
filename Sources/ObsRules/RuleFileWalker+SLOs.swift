import Foundation
import ObsCore
import Yams

extension RuleFileWalker {
    static let sloKeys = ["name", "service", "route", "objective", "sli", "threshold", "window", "burn_rate_alerts"]
    static let burnRateAlertKeys = ["severity", "long_window", "short_window", "factor", "for"]

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
        var windowKey: Node?
        var route: String?
        var burnRateAlerts = BurnRateAlertSpec.workbookDefaults
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
                windowKey = entry.key
                if let duration = duration(entry, context, positive: true) { window = duration }
            case "route":
                route = self.route(entry, context)
            case "burn_rate_alerts":
                guard let list = items(entry.value, field: entry.name, at: entry.key, context) else { continue }
                var alerts: [BurnRateAlertSpec] = []
                for (offset, item) in list.enumerated() {
                    if let alert = burnRateAlert(item, index: offset + 1, context) { alerts.append(alert) }
                }
                burnRateAlerts = alerts
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
        if let longest = burnRateAlerts.map(\.longWindow).max(), window < longest {
            problem(at: windowKey.map(location) ?? start, context,
                    "window: \(DurationText.text(window)) is shorter than the longest burn-rate window (\(DurationText.text(longest))); the budget cannot burn over more than its window")
        }
        guard problems.count == problemsBefore, let name, let service, let objective, let sli else { return nil }
        return SLOSpec(
            name: name, service: service, route: route, objective: objective, sli: sli,
            threshold: sli == .latency ? threshold : nil, window: window, burnRateAlerts: burnRateAlerts, location: start
        )
    }

    /// `route:` — a regular expression anchored at both ends, as `=~` in a selector.
    mutating func route(_ field: Field, _ context: String?) -> String? {
        guard let text = nonEmptyText(field, context), !Self.isBlank(text) else { return nil }
        do {
            _ = try Regex(text)
        } catch {
            problem(field.key, context, "route: \(Self.quote(text)) is not a valid regular expression")
            return nil
        }
        return text
    }

    /// One `burn_rate_alerts:` entry: `{severity: page, long_window: 1h, short_window: 5m, factor: 14.4, for: 0s}`.
    mutating func burnRateAlert(_ node: Node, index: Int, _ context: String) -> BurnRateAlertSpec? {
        let entryContext = "\(context), burn_rate_alerts \(index)"
        let problemsBefore = problems.count
        guard let entries = fields(node, field: "burn_rate_alerts", at: node, entryContext) else { return nil }
        var severity: String?
        var long: Duration?, short: Duration?
        var shortKey: Node?
        var factor: Double?
        var hold: Duration = .zero
        for entry in entries {
            switch entry.name {
            case "severity":
                guard let text = nonEmptyText(entry, entryContext), !Self.isBlank(text) else { continue }
                guard text.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }) else {
                    problem(entry.key, entryContext, "severity: \(Self.quote(text)) must be one word (page, ticket, …)")
                    continue
                }
                severity = text
            case "long_window":
                long = bucketDuration(entry, entryContext)
            case "short_window":
                shortKey = entry.key
                short = bucketDuration(entry, entryContext)
            case "factor":
                guard let text = text(entry, entryContext) else { continue }
                guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                    problem(entry.key, entryContext, "factor: \(Self.quote(text)) is not a number (e.g. 14.4)")
                    continue
                }
                guard value > 0 else {
                    problem(entry.key, entryContext, "factor: \(Self.quote(text)) must be more than 0")
                    continue
                }
                factor = value
            case "for":
                if let duration = duration(entry, entryContext, positive: false) { hold = duration }
            default:
                unknown(entry, entryContext, allowed: Self.burnRateAlertKeys)
            }
        }
        let at = location(node)
        if severity == nil, !entries.contains(where: { $0.name == "severity" }) { problem(at: at, entryContext, "needs severity: page or ticket") }
        if long == nil, !entries.contains(where: { $0.name == "long_window" }) { problem(at: at, entryContext, "needs long_window: DURATION (e.g. 1h)") }
        if short == nil, !entries.contains(where: { $0.name == "short_window" }) { problem(at: at, entryContext, "needs short_window: DURATION (e.g. 5m)") }
        if factor == nil, !entries.contains(where: { $0.name == "factor" }) { problem(at: at, entryContext, "needs factor: NUMBER (e.g. 14.4)") }
        if let long, let short, short >= long {
            problem(at: shortKey.map(location) ?? at, entryContext,
                    "short_window: \(DurationText.text(short)) must be shorter than long_window (\(DurationText.text(long)))")
        }
        guard problems.count == problemsBefore, let severity, let long, let short, let factor else { return nil }
        return BurnRateAlertSpec(severity: severity, longWindow: long, shortWindow: short, factor: factor, hold: hold)
    }

    /// A positive duration of whole 10 s buckets (what a burn-rate window is made of).
    mutating func bucketDuration(_ field: Field, _ context: String) -> Duration? {
        guard let duration = duration(field, context, positive: true) else { return nil }
        guard duration.totalNanoseconds % 10_000_000_000 == 0 else {
            problem(field.key, context, "\(field.name): \(DurationText.text(duration)) must be whole 10s buckets (e.g. 5m, 1h)")
            return nil
        }
        return duration
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
