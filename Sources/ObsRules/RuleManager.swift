import Logging
import ObsCore
import ObsQuery
import ServiceLifecycle
import Synchronization

/// The rule engine as a ServiceLifecycle service: evaluates each group on its interval,
/// aligned to interval boundaries of the injected clock (t = k × interval, evaluated at
/// t − query_offset), every group in its own task so a slow group never delays another;
/// reloads the rule files on request (SIGHUP, `POST /-/reload`).
public final class RuleManager: Service {
    public let engine: RuleEngine
    let load: @Sendable () async -> Result<RuleSet, RuleCheckError>
    let clock: any ObsClock
    let logger: Logger
    let reloaded: @Sendable (_ succeeded: Bool) -> Void
    /// The SLOs the evaluator knows, replaced with the rules on every successful reload.
    let slos: SLOCatalog?
    private let reloads: AsyncStream<Void>
    private let reloadContinuation: AsyncStream<Void>.Continuation
    /// Serialises reloads: two at once would race to replace the rules.
    private let reloadLock = ReloadLock()

    /// `load` reads the rule files (a `RuleFileSource`'s `load`).
    public init(engine: RuleEngine, load: @escaping @Sendable () async -> Result<RuleSet, RuleCheckError>, clock: any ObsClock,
                logger: Logger, slos: SLOCatalog? = nil, reloaded: @escaping @Sendable (_ succeeded: Bool) -> Void = { _ in }) {
        self.engine = engine
        self.slos = slos
        self.load = load
        self.clock = clock
        self.logger = logger
        self.reloaded = reloaded
        // Reload requests coalesce: the loops restart once for any number of them.
        (reloads, reloadContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    public func run() async throws {
        let continuation = reloadContinuation
        await withGracefulShutdownHandler {
            var loops = startLoops(await engine.rules)
            for await _ in reloads {
                loops.cancel()
                await loops.value
                loops = startLoops(await engine.rules)
            }
            // Shutdown: an evaluation in progress finishes before the store closes.
            loops.cancel()
            await loops.value
            await engine.storeAnomalyStates()
        } onGracefulShutdown: {
            continuation.finish()
        }
    }

    private func startLoops(_ rules: RuleSet) -> Task<Void, Never> {
        Task {
            await withDiscardingTaskGroup { tasks in
                for group in rules.groups {
                    tasks.addTask { await self.loop(group) }
                }
            }
        }
    }

    /// One group's evaluations, until cancelled (a reload or shutdown): at every interval
    /// boundary after the start; when an evaluation overran one or more boundaries, at the
    /// latest boundary passed (the missed ones are skipped, as in Prometheus).
    private func loop(_ group: RuleGroup) async {
        let interval = max(1, group.interval.totalNanoseconds)
        var next = clock.now().nanoseconds.roundedDown(toMultipleOf: interval) + interval
        while !Task.isCancelled {
            do {
                try await clock.sleep(until: Timestamp(nanoseconds: next))
            } catch {
                return
            }
            guard !Task.isCancelled else { return }
            // A reload or shutdown cancels this loop, not the evaluation under way: its rules
            // finish and store their transitions (a cancelled task's SQLite write would not).
            let engine = self.engine
            let time = Timestamp(nanoseconds: next).adding(nanoseconds: -group.queryOffset.totalNanoseconds)
            await Task { await engine.evaluate(group: group.name, at: time) }.value
            next = max(next + interval, clock.now().nanoseconds.roundedDown(toMultipleOf: interval))
        }
    }

    /// Loads the rule files again. Invalid files keep the current rules (the problems are
    /// logged and returned); valid ones replace them — alerts of rules that stay keep their
    /// state — and the evaluation loops restart with the new groups.
    @discardableResult
    public func reload() async -> Result<RuleSet, RuleCheckError> {
        await reloadLock.withLock {
            let result = await self.load()
            switch result {
            case .success(let rules):
                // Before the rules: a new burn-rate rule must find its SLO.
                self.slos?.replace(with: rules.slos.map(\.definition))
                await self.engine.replaceRules(rules, at: self.clock.now())
                self.reloadContinuation.yield()
                self.logger.notice("Rules reloaded.", metadata: ["rules.summary": "\(rules.summary)"])
                self.reloaded(true)
            case .failure(let error):
                self.logger.error("The rule files are invalid; the previous rules stay loaded.", metadata: ["rules.problems": "\(error)"])
                self.reloaded(false)
            }
            return result
        }
    }
}

/// An async mutual exclusion for reloads (rare; waiting in line is fine).
final class ReloadLock: Sendable {
    private let state = Mutex<(locked: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func withLock<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { state in
                if state.locked {
                    state.waiters.append(continuation)
                    return false
                }
                state.locked = true
                return true
            }
            if acquired { continuation.resume() }
        }
        let result = await body()
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.locked = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
        return result
    }
}
