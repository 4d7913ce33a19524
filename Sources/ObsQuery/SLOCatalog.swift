import Synchronization

/// The SLOs the loaded rule files define, shared by the daemon's evaluator (for
/// `burn_rate(…)`, `error_budget_remaining(…)` and `/api/v1/slos`) and the rule manager,
/// which replaces them on every successful reload. A reference type so that the evaluator,
/// a value copied into many places, sees the reload.
public final class SLOCatalog: Sendable {
    private let state: Mutex<[SLODefinition]>

    public init(_ definitions: [SLODefinition] = []) {
        state = Mutex(definitions)
    }

    /// Every SLO, in rule-file order.
    public var definitions: [SLODefinition] { state.withLock { $0 } }

    public func definition(named name: String) -> SLODefinition? {
        state.withLock { list in list.first { $0.name == name } }
    }

    public func replace(with definitions: [SLODefinition]) {
        state.withLock { $0 = definitions }
    }
}
