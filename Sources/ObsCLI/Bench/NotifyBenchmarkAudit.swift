import ObsCore

/// What the receiver got, checked against the outbox: every notification delivered, every
/// idempotency key answered exactly once (no duplicates, none missing, none unknown), and,
/// within each group, arrivals in the outbox's order (ids ascending, which is also `time`
/// ascending).
struct NotifyBenchmarkAudit: Sendable {
    var notifications = 0
    var statuses: [String: Int] = [:]
    var arrivals = 0
    /// Keys that arrived more than once, and the arrivals beyond the first.
    var duplicateKeys = 0
    var duplicateArrivals = 0
    /// Outbox keys that never arrived.
    var missingKeys = 0
    /// Arrivals without a key, or with a key the outbox does not hold.
    var unknownArrivals = 0
    var unreadable = 0
    /// Arrivals whose body's `groupKey` is not their outbox entry's group.
    var groupKeyMismatches = 0
    /// Within a group, an arrival of an older notification after a newer one's.
    var orderViolations = 0
    var orderExamples: [String] = []
    /// Within a group, outbox ids and composition times disagree.
    var timeOrderViolations = 0
    var groups = 0
    var firingNotifications = 0
    var resolvedNotifications = 0
    var groupsWithoutFiring: [String] = []
    var groupsWithoutResolved: [String] = []
    /// Per group: the arrival of its last notification.
    var lastArrivalPerGroup: [String: Timestamp] = [:]

    init(outbox: [NotifyBenchmarkAPI.Notification], arrivals: [NotifyBenchmarkRecorder.Arrival]) {
        notifications = outbox.count
        statuses = Dictionary(grouping: outbox, by: \.status).mapValues(\.count)
        self.arrivals = arrivals.count
        let byKey = Dictionary(outbox.map { ($0.idempotencyKey, $0) }, uniquingKeysWith: { first, _ in first })

        var seen: [String: Int] = [:]
        for arrival in arrivals {
            guard let key = arrival.idempotencyKey, byKey[key] != nil else {
                unknownArrivals += 1
                continue
            }
            seen[key, default: 0] += 1
        }
        duplicateKeys = seen.values.filter { $0 > 1 }.count
        duplicateArrivals = seen.values.reduce(0) { $0 + max(0, $1 - 1) }
        missingKeys = outbox.filter { seen[$0.idempotencyKey] == nil }.count

        // Order: the first arrival of each key, in arrival order, per group.
        let (payloads, unreadable) = NotifyBenchmarkPayload.parse(arrivals)
        self.unreadable = unreadable
        var answered = Set<String>()
        var lastID: [String: Int64] = [:]
        for payload in payloads.sorted(by: { $0.sequence < $1.sequence }) {
            guard let key = payload.idempotencyKey, let entry = byKey[key], answered.insert(key).inserted else { continue }
            if payload.groupKey != entry.groupKey { groupKeyMismatches += 1 }
            if let previous = lastID[entry.groupKey], entry.id < previous {
                orderViolations += 1
                if orderExamples.count < 5 { orderExamples.append("\(entry.groupKey): id \(entry.id) arrived after id \(previous)") }
            }
            lastID[entry.groupKey] = max(lastID[entry.groupKey] ?? entry.id, entry.id)
            lastArrivalPerGroup[entry.groupKey] = payload.receivedAt
        }

        let byGroup = Dictionary(grouping: outbox, by: \.groupKey)
        groups = byGroup.count
        for (group, entries) in byGroup {
            let sorted = entries.sorted { $0.id < $1.id }
            timeOrderViolations += zip(sorted, sorted.dropFirst()).filter { $0.time > $1.time }.count
            if !entries.contains(where: { $0.notificationStatus == "firing" }) { groupsWithoutFiring.append(group) }
            if !entries.contains(where: { $0.notificationStatus == "resolved" }) { groupsWithoutResolved.append(group) }
        }
        firingNotifications = outbox.filter { $0.notificationStatus == "firing" }.count
        resolvedNotifications = outbox.filter { $0.notificationStatus == "resolved" }.count
    }

    /// Every check that failed, one line each.
    var failures: [String] {
        var lines: [String] = []
        let undelivered = notifications - (statuses["delivered"] ?? 0)
        if undelivered > 0 { lines.append("\(undelivered) of \(notifications) notifications did not end delivered (\(NotifyBenchmark.describe(statuses)))") }
        if duplicateKeys > 0 { lines.append("\(duplicateKeys) idempotency keys arrived more than once (\(duplicateArrivals) extra POSTs)") }
        if missingKeys > 0 { lines.append("\(missingKeys) idempotency keys of the outbox never arrived") }
        if unknownArrivals > 0 { lines.append("\(unknownArrivals) POSTs without a key the outbox holds") }
        if unreadable > 0 { lines.append("\(unreadable) POST bodies are not Alertmanager webhook bodies") }
        if groupKeyMismatches > 0 { lines.append("\(groupKeyMismatches) POSTs carry another groupKey than their outbox entry") }
        if orderViolations > 0 { lines.append("\(orderViolations) order violations within groups (\(orderExamples.joined(separator: "; ")))") }
        if timeOrderViolations > 0 { lines.append("\(timeOrderViolations) outbox entries composed before an older id of their group") }
        if !groupsWithoutFiring.isEmpty { lines.append("\(groupsWithoutFiring.count) groups got no firing notification") }
        if !groupsWithoutResolved.isEmpty { lines.append("\(groupsWithoutResolved.count) groups got no resolved notification") }
        return lines
    }
}
