import ObsCore

extension SLOStatus {
    /// `{"status":"success","data":{"slos":[…]}}`, the envelope of `/api/v1/alerts`.
    public static func json(_ statuses: [SLOStatus], at time: Timestamp) -> JSONWriter {
        var json = JSONWriter(capacity: 256 + statuses.count * 512)
        json.beginObject()
        json.key("status"); json.string("success")
        json.key("data"); json.beginObject()
        json.key("at"); json.string(time.rfc3339)
        json.key("slos"); json.beginArray()
        for status in statuses { status.write(into: &json) }
        json.endArray()
        json.endObject()
        json.endObject()
        return json
    }

    func write(into json: inout JSONWriter) {
        func number(_ value: Double?) {
            if let value, value.isFinite { json.double(value) } else { json.null() }
        }
        json.beginObject()
        json.key("name"); json.string(slo.name)
        json.key("service"); json.string(slo.service)
        json.key("route"); json.string(slo.route)
        json.key("objective"); json.double(slo.objective)
        json.key("sli"); json.string(slo.indicator.rawValue)
        if let threshold = slo.thresholdMs { json.key("threshold_ms"); json.double(threshold) }
        json.key("window"); json.string(DurationText.text(.seconds(slo.windowSeconds)))
        json.key("from"); json.string(Timestamp(nanoseconds: from * 1_000_000_000).rfc3339)
        json.key("to"); json.string(Timestamp(nanoseconds: to * 1_000_000_000).rfc3339)
        json.key("sli_value"); number(counts.sli)
        json.key("good"); json.int(Int(counts.good))
        json.key("total"); json.int(Int(counts.total))
        json.key("budget_remaining"); number(budgetRemaining)
        json.key("budget_remaining_minutes"); number(budgetRemainingMinutes)
        json.key("burn_rate"); json.beginObject()
        for (index, window) in Self.burnRateWindows.enumerated() {
            json.key(window.name); number(index < burnRates.count ? burnRates[index] : nil)
        }
        json.endObject()
        json.key("exhausted_in_s"); number(exhaustedInSeconds)
        json.endObject()
    }
}
