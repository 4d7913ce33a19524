import Foundation
import ObsCore
import ObsStorage

/// The rule engine's incident sink: a paging alert that fires opens its group's incident or
/// joins the one open; an alert that resolves leaves a row, and when the last firing one
/// resolves the incident is mitigated and its cooldown starts. A re-fire before the cooldown
/// passes joins the same incident again (no new incident). Everything is written inside the
/// transaction that stores the transitions, so a crash cannot separate the two.
public struct IncidentRecorder: AlertTransitionSink {
    let policy: IncidentPolicy
    let store: SQLiteIncidentStore

    public init(policy: IncidentPolicy, store: SQLiteIncidentStore) {
        self.policy = policy
        self.store = store
    }

    public func record(_ transitions: [AlertTransition], in transaction: any AlertTransaction) throws {
        for transition in transitions {
            switch transition.state {
            case .firing where policy.pages(transition.labels): try fired(transition, in: transaction)
            case .resolved: try resolved(transition, in: transaction)
            default: continue
            }
        }
    }

    private func fired(_ transition: AlertTransition, in transaction: any AlertTransaction) throws {
        let group = policy.group(of: transition.labels)
        let alert = IncidentAlertRecord(ruleGroup: transition.group, fingerprint: transition.fingerprint, labels: transition.labels,
                                        firing: true, activeAt: transition.activeAt, joinedAt: transition.time)
        let source = transition.alertname
        guard var incident = try store.unresolvedIncident(groupKey: group.key, in: transaction) else {
            let incident = IncidentRecord(
                groupKey: group.key, groupLabels: group.labels, service: transition.labels["service"] ?? "",
                title: group.key.isEmpty ? transition.alertname : "\(transition.alertname) (\(group.key))",
                state: IncidentState.open.rawValue, openedAt: transition.time, startedAt: transition.activeAt,
                detectedAt: transition.time, alerts: [alert]
            )
            try store.save(incident, events: [
                IncidentEventRecord(time: transition.activeAt, kind: IncidentEventKind.started.rawValue, source: source,
                                    detail: "the condition started to hold"),
                IncidentEventRecord(time: transition.time, kind: IncidentEventKind.detected.rawValue, source: source,
                                    detail: "\(transition.alertname) fired" + Self.valueText(transition.value)),
            ], in: transaction)
            return
        }
        let refired = incident.mitigatedAt != nil
        if let index = incident.alerts.firstIndex(where: { $0.fingerprint == alert.fingerprint && $0.ruleGroup == alert.ruleGroup }) {
            incident.alerts[index].firing = true
            incident.alerts[index].activeAt = transition.activeAt
            incident.alerts[index].resolvedAt = nil
        } else {
            incident.alerts.append(alert)
        }
        incident.mitigatedAt = nil
        incident.resolveDueAt = nil
        let detail = "\(transition.alertname) fired" + Self.valueText(transition.value)
            + (refired ? " again within the cooldown; the incident is no longer mitigated" : "")
        try store.save(incident, events: [
            IncidentEventRecord(time: transition.time, kind: IncidentEventKind.alertJoined.rawValue, source: source, detail: detail),
        ], in: transaction)
    }

    private func resolved(_ transition: AlertTransition, in transaction: any AlertTransaction) throws {
        for var incident in try store.unresolvedIncidents(holding: transition.group, fingerprint: transition.fingerprint,
                                                          in: transaction) {
            guard let index = incident.alerts.firstIndex(where: { $0.fingerprint == transition.fingerprint && $0.ruleGroup == transition.group }),
                  incident.alerts[index].firing else { continue }
            incident.alerts[index].firing = false
            incident.alerts[index].resolvedAt = transition.time
            var events = [IncidentEventRecord(time: transition.time, kind: IncidentEventKind.alertResolved.rawValue,
                                              source: transition.alertname,
                                              detail: "\(transition.alertname) resolved" + Self.valueText(transition.value))]
            if !incident.alerts.contains(where: \.firing) {
                incident.mitigatedAt = transition.time
                incident.resolveDueAt = transition.time.adding(nanoseconds: policy.cooldown.totalNanoseconds)
                events.append(IncidentEventRecord(time: transition.time, kind: IncidentEventKind.mitigated.rawValue,
                                                  source: transition.alertname,
                                                  detail: "no alert of the incident fires; it resolves after \(DurationText.text(policy.cooldown)) without a re-fire"))
            }
            try store.save(incident, events: events, in: transaction)
        }
    }

    static func valueText(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return " (value \(String(format: "%.4g", value)))"
    }
}
