import ObsCore
import ObsStorage

/// The API's incident objects (DESIGN.md "Incidents and MTTR").
public enum IncidentJSON {
    public static func write(_ incident: IncidentRecord, timeline: [IncidentEventRecord]? = nil, externalURL: String,
                             to json: inout JSONWriter) {
        let figures = IncidentFigures(incident)
        json.beginObject()
        json.key("id"); json.int(Int(incident.id))
        json.key("title"); json.string(incident.title)
        json.key("state"); json.string(incident.state)
        json.key("group"); writeLabels(incident.groupLabels, to: &json)
        json.key("service"); json.string(incident.service)
        json.key("url"); json.string("\(externalURL)/api/v1/incidents/\(incident.id)")
        json.key("started_at"); json.string(incident.startedAt.rfc3339)
        json.key("detected_at"); json.string(incident.detectedAt.rfc3339)
        json.key("opened_at"); json.string(incident.openedAt.rfc3339)
        json.key("first_notified_at"); json.string(incident.firstNotifiedAt?.rfc3339)
        json.key("acknowledged_at"); json.string(incident.acknowledgedAt?.rfc3339)
        json.key("acknowledged_by"); json.string(incident.acknowledgedBy)
        json.key("mitigated_at"); json.string(incident.mitigatedAt?.rfc3339)
        json.key("resolved_at"); json.string(incident.resolvedAt?.rfc3339)
        json.key("resolved_by"); json.string(incident.resolvedBy)
        json.key("alerts")
        json.beginArray()
        for alert in incident.alerts {
            json.beginObject()
            json.key("labels"); writeLabels(alert.labels, to: &json)
            json.key("fingerprint"); json.string(alert.fingerprint)
            json.key("rule_group"); json.string(alert.ruleGroup)
            json.key("state"); json.string(alert.firing ? "firing" : "resolved")
            json.key("activeAt"); json.string(alert.activeAt.rfc3339)
            json.key("joined_at"); json.string(alert.joinedAt.rfc3339)
            json.key("resolved_at"); json.string(alert.resolvedAt?.rfc3339)
            json.endObject()
        }
        json.endArray()
        if let timeline {
            json.key("timeline")
            json.beginArray()
            for event in timeline {
                json.beginObject()
                json.key("time"); json.string(event.time.rfc3339)
                json.key("kind"); json.string(event.kind)
                json.key("source"); json.string(event.source)
                json.key("detail"); json.string(event.detail)
                json.key("by"); json.string(event.by)
                json.endObject()
            }
            json.endArray()
        }
        json.key("mttd_s"); number(figures.detect, to: &json)
        json.key("mtta_s"); number(figures.acknowledge, to: &json)
        json.key("ttm_s"); number(figures.mitigate, to: &json)
        json.key("mttr_s"); number(figures.resolve, to: &json)
        json.endObject()
    }

    public static func write(_ report: MTTRReport, to json: inout JSONWriter) {
        json.beginObject()
        json.key("groups")
        json.beginArray()
        for group in report.groups {
            json.beginObject()
            json.key("key"); json.string(group.key)
            json.key("count"); json.int(group.count)
            for (name, summary) in [("mttd_s", group.detect), ("mtta_s", group.acknowledge), ("ttm_s", group.mitigate),
                                    ("mttr_s", group.resolve)] {
                json.key(name)
                guard let summary else { json.null(); continue }
                json.beginObject()
                json.key("count"); json.int(summary.count)
                json.key("mean"); json.double(summary.mean)
                json.key("median"); json.double(summary.median)
                json.key("p90"); json.double(summary.p90)
                json.endObject()
            }
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }

    private static func writeLabels(_ labels: [String: String], to json: inout JSONWriter) {
        json.beginObject()
        for (name, value) in labels.sorted(by: { $0.key < $1.key }) { json.key(name); json.string(value) }
        json.endObject()
    }

    private static func number(_ value: Double?, to json: inout JSONWriter) {
        if let value { json.double(value) } else { json.null() }
    }
}
