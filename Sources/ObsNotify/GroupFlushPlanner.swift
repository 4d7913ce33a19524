import Foundation
import ObsCore
import ObsStorage

/// Decides, for one due group, what Alertmanager would: the alerts to announce (firing ones
/// that no silence or inhibit rule mutes, and resolutions of alerts announced as firing),
/// whether that differs from the last notification or `repeat_interval` has passed, and when
/// to look at the group again. The dispatcher applies the decision in the transaction that
/// read the group; each notification gets a random idempotency key there, stored with it.
public struct GroupFlushPlanner: Sendable {
    /// Prometheus re-sends active alerts to an Alertmanager every minute (its resend delay),
    /// long before their `endsAt` (4 minutes ahead) lets Alertmanager resolve them.
    public static let alertmanagerResendInterval = Duration.seconds(60)
    public static let alertmanagerResendHorizon = Duration.seconds(240)

    let policy: NotificationPolicy

    public init(policy: NotificationPolicy) {
        self.policy = policy
    }

    /// Only inhibit rules look at the firing alerts of other groups.
    public var needsFiringAlerts: Bool { !policy.inhibitor.rules.isEmpty }

    /// What mutes an alert during one flush: the silences active at `now` and the firing
    /// alerts indexed for the inhibit rules, prepared once for all the groups it flushes.
    public struct MuteConditions: Sendable {
        let silences: [Silence]
        let inhibition: InhibitionSources?

        func mutes(_ labels: [String: String]) -> Bool {
            silences.contains { $0.matches(labels) } || inhibition?.isInhibited(labels) == true
        }
    }

    public func muteConditions(_ context: NotificationFlushContext, at now: Timestamp) -> MuteConditions {
        MuteConditions(
            silences: context.silences.compactMap(Silence.init(record:)).filter { $0.state(at: now) == .active },
            inhibition: needsFiringAlerts ? policy.inhibitor.sources(firing: Array(context.firing.values)) : nil
        )
    }

    public func plan(_ group: NotificationGroupRecord, muting conditions: MuteConditions, at now: Timestamp)
        -> NotificationGroupFlush {
        let allResolved = group.alerts.filter { !$0.firing }.map(\.fingerprint)
        guard let receiver = policy.receivers[group.receiver] else {
            // Its receiver left the configuration: nobody is left to tell.
            return NotificationGroupFlush(groupID: group.id, notification: nil, removedFingerprints: group.alerts.map(\.fingerprint),
                                          notifiedFiring: [], flushed: false, nextDueAt: nil)
        }
        let route = policy.route(id: group.routeID)
        let firing = group.alerts.filter { $0.firing && !conditions.mutes($0.labels) }
        let shown = Set(firing.map(\.fingerprint))
        let resolvedToAnnounce = group.alerts.filter { !$0.firing && group.notifiedFiring.contains($0.fingerprint) }
        let isAlertmanager = receiver.receiver.format == .alertmanagerAPI
        let repeatInterval = isAlertmanager ? min(route.repeatInterval, Self.alertmanagerResendInterval) : route.repeatInterval
        let changed = !shown.isSubset(of: group.notifiedFiring) || !resolvedToAnnounce.isEmpty
        let repeatDue = !shown.isEmpty
            && group.lastFlushAt.map { now >= $0.adding(nanoseconds: repeatInterval.totalNanoseconds) } ?? true
        let stillFiring = group.alerts.contains { $0.firing }
        let nextCheck = isAlertmanager ? min(route.groupInterval, repeatInterval) : route.groupInterval
        let nextDue = stillFiring ? now.adding(nanoseconds: nextCheck.totalNanoseconds) : nil

        var notification: NewOutboxEntry?
        if changed || repeatDue {
            let announced = firing + (receiver.receiver.sendResolved ? resolvedToAnnounce : [])
            if !firing.isEmpty || (receiver.receiver.sendResolved && !resolvedToAnnounce.isEmpty) {
                notification = compose(group, alerts: announced, receiver: receiver, at: now)
            }
        }
        // A muted alert leaves the announced set, so that it is announced again if it still
        // fires when its silence ends.
        return NotificationGroupFlush(groupID: group.id, notification: notification, removedFingerprints: allResolved,
                                      notifiedFiring: shown, flushed: notification != nil, nextDueAt: nextDue)
    }

    private func compose(_ group: NotificationGroupRecord, alerts: [NotificationGroupAlert], receiver: ResolvedReceiver,
                         at now: Timestamp) -> NewOutboxEntry {
        let message = NotificationMessage(
            receiver: receiver.name, groupKey: group.groupKey, groupLabels: group.groupLabels,
            alerts: alerts.map { alert in
                NotificationAlert(fingerprint: alert.fingerprint, ruleGroup: alert.ruleGroup, labels: alert.labels,
                                  annotations: alert.annotations, status: alert.firing ? .firing : .resolved,
                                  startsAt: alert.startsAt, endsAt: alert.endsAt, value: alert.value)
            },
            externalURL: policy.externalURL, renderedAt: now, truncatedAlerts: 0
        )
        let payload = NotificationPayload.render(
            message, as: receiver.receiver.format,
            options: PayloadOptions(pagerDutyRoutingKey: receiver.routingKey, alertmanagerAPIResendHorizon: Self.alertmanagerResendHorizon)
        )
        let firingCount = alerts.filter(\.firing).count
        return NewOutboxEntry(
            idempotencyKey: UUID().uuidString.lowercased(), receiver: receiver.name, groupKey: group.groupKey,
            notificationStatus: message.status.rawValue, fingerprints: alerts.map(\.fingerprint), firingCount: firingCount,
            resolvedCount: alerts.count - firingCount, contentType: payload.contentType, urlPath: payload.path, body: payload.body
        )
    }
}
