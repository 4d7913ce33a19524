import ObsCore
import ObsStorage

/// The alert lifecycle of one rule, as a pure function of its active alerts, the samples of
/// one evaluation and the evaluation time. The daemon and backtests run this same code.
///
/// - A series whose condition holds and has no alert becomes pending (or firing at once when
///   `for` is 0); a pending alert fires once it has held for `for` (t − activeAt ≥ for).
/// - A pending alert whose condition stops holding goes inactive; a firing one resolves —
///   unless `keep_firing_for` is set: then it keeps firing until the condition has not held
///   for that long (the countdown restarts whenever it holds again).
/// - Every alert carries the current value of its series, so a resolution records the value
///   that resolved it (nil when the series has no value any more).
/// - A sample that is unknown (an SLO burn rate without traffic) leaves its alert exactly as
///   it is — no transition, same value, same timers — and creates none: no traffic is no
///   evidence either way. `for` still counts from `activeAt`, so a pending alert whose
///   condition holds again after a gap fires if it became pending long enough ago.
public struct AlertStateMachine: Sendable {
    public let rule: AlertingRule
    public let externalURL: String

    public init(rule: AlertingRule, externalURL: String) {
        self.rule = rule
        self.externalURL = externalURL
    }

    /// `alerts`: the rule's active alerts by fingerprint. Returns them after this evaluation
    /// and what changed (the rows to store and the transitions).
    public func step(_ alerts: [String: Alert], samples: [RuleSample], at time: Timestamp) -> (alerts: [String: Alert], change: AlertStateChange) {
        var next = alerts
        var change = AlertStateChange()
        var seen = Set<String>()

        for sample in samples {
            let labels = alertLabels(for: sample)
            let fingerprint = AlertFingerprint.of(labels)
            // Two series that end with the same labels are one alert; the first one counts.
            guard seen.insert(fingerprint).inserted else { continue }
            if sample.unknown { continue }
            let annotations = render(rule.annotations, labels: labels, value: sample.value)
            if var alert = next[fingerprint] {
                alert.value = sample.value
                alert.annotations = annotations
                guard sample.holds else {
                    ended(&alert, fingerprint: fingerprint, at: time, into: &next, change: &change)
                    continue
                }
                var changed = false
                if alert.keepFiringSince != nil {
                    alert.keepFiringSince = nil
                    changed = true
                }
                if alert.state == .pending, elapsed(since: alert.activeAt, to: time) >= rule.holdDuration.totalNanoseconds {
                    alert.state = .firing
                    alert.firedAt = time
                    changed = true
                    change.transitions.append(transition(alert, fingerprint: fingerprint, at: time))
                }
                if changed { change.upserted.append(alert) }
                next[fingerprint] = alert
            } else if sample.holds {
                let firesAtOnce = rule.holdDuration <= .zero
                let alert = Alert(group: rule.group, labels: labels, annotations: annotations, state: firesAtOnce ? .firing : .pending,
                                  activeAt: time, firedAt: firesAtOnce ? time : nil, value: sample.value)
                next[fingerprint] = alert
                change.upserted.append(alert)
                change.transitions.append(transition(alert, fingerprint: fingerprint, at: time))
            }
        }
        // Alerts whose series is gone: the condition does not hold, and there is no value.
        for (fingerprint, alert) in alerts.sorted(by: { $0.key < $1.key }) where !seen.contains(fingerprint) {
            var alert = alert
            alert.value = nil
            alert.annotations = render(rule.annotations, labels: alert.labels, value: nil)
            ended(&alert, fingerprint: fingerprint, at: time, into: &next, change: &change)
        }
        return (next, change)
    }

    /// The condition does not hold for an active alert at `time`.
    private func ended(_ alert: inout Alert, fingerprint: String, at time: Timestamp, into next: inout [String: Alert],
                       change: inout AlertStateChange) {
        if alert.state == .firing, rule.keepFiringFor > .zero {
            let since = alert.keepFiringSince ?? time
            if elapsed(since: since, to: time) < rule.keepFiringFor.totalNanoseconds {
                if alert.keepFiringSince == nil {
                    alert.keepFiringSince = since
                    change.upserted.append(alert)
                }
                next[fingerprint] = alert
                return
            }
        }
        alert.state = alert.state == .pending ? .inactive : .resolved
        next[fingerprint] = nil
        change.removed.append((alert.group, fingerprint))
        change.transitions.append(transition(alert, fingerprint: fingerprint, at: time))
    }

    /// The series' labels, then the group's and rule's labels (rendered), then `alertname`;
    /// a label rendered empty is dropped, as in Prometheus.
    func alertLabels(for sample: RuleSample) -> [String: String] {
        var labels = sample.labels
        let context = TemplateContext(labels: sample.labels, value: sample.value, unit: rule.unit, externalURL: externalURL)
        for (name, template) in rule.labels {
            labels[name] = template.render(context)
        }
        labels[AlertFingerprint.alertnameLabel] = rule.name
        return labels.filter { !$0.value.isEmpty }
    }

    func render(_ templates: [(name: String, template: AlertTemplate)], labels: [String: String], value: Double?) -> [String: String] {
        let context = TemplateContext(labels: labels, value: value, unit: rule.unit, externalURL: externalURL)
        var rendered: [String: String] = [:]
        for (name, template) in templates { rendered[name] = template.render(context) }
        return rendered
    }

    private func transition(_ alert: Alert, fingerprint: String, at time: Timestamp) -> AlertTransition {
        AlertTransition(group: alert.group, fingerprint: fingerprint, labels: alert.labels, annotations: alert.annotations,
                        state: alert.state, time: time, value: alert.value, activeAt: alert.activeAt)
    }

    private func elapsed(since start: Timestamp, to time: Timestamp) -> Int64 {
        time.nanoseconds - start.nanoseconds
    }
}
