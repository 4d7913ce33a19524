import ObsCore
import ObsNotify
import ObsQuery
import ObsRules

/// The alert API's bodies, in Prometheus' shapes where Prometheus has one (`/api/v1/alerts`,
/// `/api/v1/rules`) so Grafana's Prometheus data source and existing tools read them.
public enum AlertsJSON {
    /// `{"labels","annotations","state","activeAt","value"}`; `value` a string, as Prometheus.
    /// A firing alert that a silence or an inhibit rule mutes is `suppressed`, with
    /// `suppressedBy` (silence ids) and `inhibited`.
    static func write(_ alert: Alert, suppression: AlertSuppression? = nil, into json: inout JSONWriter) {
        json.beginObject()
        json.key("labels"); labels(alert.labels, into: &json)
        json.key("annotations"); labels(alert.annotations, into: &json)
        if let suppression, alert.state == .firing {
            json.key("state"); json.string("suppressed")
            json.key("suppressedBy"); json.beginArray()
            for id in suppression.silencedBy { json.string(id) }
            json.endArray()
            json.key("inhibited"); json.bool(suppression.inhibited)
        } else {
            json.key("state"); json.string(alert.state.rawValue)
        }
        json.key("activeAt"); json.string(alert.activeAt.rfc3339)
        if let keepFiringSince = alert.keepFiringSince {
            json.key("keepFiringSince"); json.string(keepFiringSince.rfc3339)
        }
        json.key("value"); json.string(alert.value.map(QueryResult.valueText) ?? "")
        json.key("fingerprint"); json.string(alert.fingerprint)
        json.endObject()
    }

    public static func alerts(_ alerts: [Alert], suppressed: [String: AlertSuppression] = [:]) -> JSONWriter {
        success("alerts", capacity: 256 + alerts.count * 256) { json in
            for alert in alerts { write(alert, suppression: suppressed[alert.fingerprint], into: &json) }
        }
    }

    /// `{"status":"success","data":{"KEY":[…]}}` with `items` writing the array's elements.
    private static func success(_ key: String, capacity: Int, _ items: (inout JSONWriter) -> Void) -> JSONWriter {
        var json = JSONWriter(capacity: capacity)
        json.beginObject()
        json.key("status"); json.string("success")
        json.key("data"); json.beginObject()
        json.key(key); json.beginArray()
        items(&json)
        json.endArray()
        json.endObject()
        json.endObject()
        return json
    }

    /// `{"alertname","labels","fingerprint","state","time","value"}` oldest first; `value` a
    /// number (null when the series had none).
    public static func history(_ transitions: [AlertTransition]) -> JSONWriter {
        success("transitions", capacity: 256 + transitions.count * 256) { json in
            for transition in transitions {
                json.beginObject()
                json.key("alertname"); json.string(transition.alertname)
                json.key("group"); json.string(transition.group)
                json.key("labels"); labels(transition.labels, into: &json)
                json.key("annotations"); labels(transition.annotations, into: &json)
                json.key("fingerprint"); json.string(transition.fingerprint)
                json.key("state"); json.string(transition.state.rawValue)
                json.key("time"); json.string(transition.time.rfc3339)
                json.key("activeAt"); json.string(transition.activeAt.rfc3339)
                json.key("value")
                if let value = transition.value { json.double(value) } else { json.null() }
                json.endObject()
            }
        }
    }

    /// One group of `/api/v1/rules`, with each rule's alerts and health.
    struct GroupView {
        var group: RuleGroup
        var status: GroupStatus
        var rules: [(rule: AlertingRule, status: RuleStatus, alerts: [Alert])]
    }

    /// Prometheus' "never evaluated" time.
    static let zeroTime = "0001-01-01T00:00:00Z"

    static func rules(_ groups: [GroupView]) -> JSONWriter {
        success("groups", capacity: 1024) { json in
            for view in groups {
                json.beginObject()
                json.key("name"); json.string(view.group.name)
                json.key("file"); json.string(view.group.file)
                json.key("interval"); json.double(seconds(view.group.interval))
                json.key("queryOffset"); json.double(seconds(view.group.queryOffset))
                json.key("limit"); json.int(0)
                json.key("rules"); json.beginArray()
                for (rule, status, alerts) in view.rules {
                    json.beginObject()
                    json.key("type"); json.string("alerting")
                    json.key("name"); json.string(rule.name)
                    json.key("query"); json.string(rule.query)
                    json.key("duration"); json.double(seconds(rule.holdDuration))
                    json.key("keepFiringFor"); json.double(seconds(rule.keepFiringFor))
                    json.key("labels"); labels(Dictionary(rule.labels.map { ($0.name, $0.template.source) }, uniquingKeysWith: { $1 }), into: &json)
                    json.key("annotations")
                    labels(Dictionary(rule.annotations.map { ($0.name, $0.template.source) }, uniquingKeysWith: { $1 }), into: &json)
                    let state = alerts.contains { $0.state == .firing } ? "firing" : alerts.isEmpty ? "inactive" : "pending"
                    json.key("state"); json.string(state)
                    json.key("alerts"); json.beginArray()
                    for alert in alerts { write(alert, into: &json) }
                    json.endArray()
                    json.key("health"); json.string(status.health.rawValue)
                    json.key("lastError"); json.string(status.lastError ?? "")
                    json.key("evaluationTime"); json.double(status.evaluationSeconds)
                    json.key("lastEvaluation"); json.string(status.lastEvaluation?.rfc3339 ?? zeroTime)
                    json.endObject()
                }
                json.endArray()
                json.key("evaluationTime"); json.double(view.status.evaluationSeconds)
                json.key("lastEvaluation"); json.string(view.status.lastEvaluation?.rfc3339 ?? zeroTime)
                json.endObject()
            }
        }
    }

    private static func labels(_ labels: [String: String], into json: inout JSONWriter) {
        json.beginObject()
        for (name, value) in labels.sorted(by: { $0.key < $1.key }) {
            json.key(name)
            json.string(value)
        }
        json.endObject()
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.totalNanoseconds) / 1e9
    }
}
