import ObsCore
import ObsStorage

/// What people do with incidents (from the API, the CLI or a receiver calling back):
/// acknowledge, resolve, add notes. Each decides inside the transaction that reads the
/// incident, so of two acknowledgements at once one is recorded and both answer with it.
public struct IncidentDesk: Sendable {
    let store: SQLiteIncidentStore
    let clock: any ObsClock

    public init(store: SQLiteIncidentStore, clock: any ObsClock) {
        self.store = store
        self.clock = clock
    }

    /// Acknowledging an acknowledged incident changes nothing and is not an error.
    public func acknowledge(_ id: Int64, by person: String, source: String) async throws(IncidentError) -> IncidentRecord {
        let now = clock.now()
        return try await edit(id) { incident in
            switch IncidentState(rawValue: incident.state) {
            case .resolved?: return .refused("is already resolved")
            case .acknowledged?: return .unchanged
            default:
                incident.state = IncidentState.acknowledged.rawValue
                incident.acknowledgedAt = now
                incident.acknowledgedBy = person
                return .changed([IncidentEventRecord(time: now, kind: IncidentEventKind.acknowledged.rawValue, source: source,
                                                     detail: "acknowledged", by: person)])
            }
        }
    }

    public func resolve(_ id: Int64, by person: String, source: String, text: String = "") async throws(IncidentError) -> IncidentRecord {
        let now = clock.now()
        return try await edit(id) { incident in
            guard incident.state != IncidentState.resolved.rawValue else {
                return .refused("is already resolved (at \(incident.resolvedAt?.rfc3339 ?? "?"))")
            }
            incident.state = IncidentState.resolved.rawValue
            incident.resolvedAt = now
            incident.resolvedBy = person
            incident.resolveDueAt = nil
            let detail = text.isEmpty ? "resolved by hand" : "resolved: \(text)"
            return .changed([IncidentEventRecord(time: now, kind: IncidentEventKind.resolved.rawValue, source: source, detail: detail,
                                                 by: person)])
        }
    }

    public func note(_ id: Int64, text: String, by person: String, source: String) async throws(IncidentError) -> IncidentRecord {
        guard !text.isEmpty else { throw .invalid("a note needs text: the body's \"text\" is empty") }
        guard text.utf8.count <= IncidentError.maximumNoteBytes else { throw .noteTooLarge(text.utf8.count) }
        let now = clock.now()
        return try await edit(id) { _ in
            .changed([IncidentEventRecord(time: now, kind: IncidentEventKind.note.rawValue, source: source, detail: text, by: person)])
        }
    }

    private func edit(_ id: Int64, _ body: @escaping @Sendable (inout IncidentRecord) -> IncidentEdit) async throws(IncidentError) -> IncidentRecord {
        let result: (incident: IncidentRecord, edit: IncidentEdit)?
        do {
            result = try await store.edit(id, body)
        } catch {
            throw .store(error)
        }
        guard let result else { throw .notFound(id) }
        if case .refused(let reason) = result.edit { throw .conflict(id, reason) }
        return result.incident
    }
}
