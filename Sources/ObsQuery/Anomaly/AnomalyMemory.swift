import ObsStorage
import Synchronization

/// What the detectors of one rule (or one backtest run) have learned between evaluations:
/// per `anomaly(…)` call, the last sample time fed and one detector per series.
///
/// It is a cache, not a source of truth: every score depends only on the samples of a
/// bounded lookback, so a state rebuilt from the rollups scores exactly the same. It spares
/// each evaluation from re-reading that lookback, and lets a restart resume from the
/// persisted state and catch up only the samples it missed.
public final class AnomalyMemory: Sendable {
    struct CallState {
        var parameters: AnomalyParameters
        /// The grid time (unix seconds) of the last sample fed; nil before any.
        var fedThrough: Int64?
        var detectors: [[String: String]: AnomalyDetector]
    }

    private struct Contents {
        var calls: [String: CallState] = [:]
        /// Restored states, decoded when their call is next evaluated (decoding needs the
        /// call's parameters).
        var encoded: [String: AnomalyStateRecord] = [:]
        var used: Set<String> = []
    }

    private let contents = Mutex(Contents())

    public init() {}

    /// Adds persisted states (a restart).
    public func restore(_ calls: [AnomalyStateRecord]) {
        contents.withLock { contents in
            for call in calls { contents.encoded[call.call] = call }
        }
    }

    /// The state of `call`: as left by the previous evaluation, decoded from a restored
    /// state, or empty (to be rebuilt) when there is none, it does not decode, or the
    /// parameters differ.
    func take(_ call: AnomalyCall) -> CallState {
        contents.withLock { contents in
            contents.used.insert(call.key)
            if let state = contents.calls[call.key], state.parameters == call.parameters { return state }
            let empty = CallState(parameters: call.parameters, fedThrough: nil, detectors: [:])
            guard let encoded = contents.encoded.removeValue(forKey: call.key) else { return empty }
            var detectors: [[String: String]: AnomalyDetector] = [:]
            for series in encoded.series {
                do {
                    detectors[series.labels] = try AnomalyDetector(decoding: series.state, parameters: call.parameters)
                } catch {
                    return empty
                }
            }
            return CallState(parameters: call.parameters, fedThrough: encoded.fedThrough, detectors: detectors)
        }
    }

    func put(_ key: String, _ state: CallState) {
        contents.withLock { $0.calls[key] = state }
    }

    /// Forgets the calls not evaluated since the last call of this method: those of an
    /// expression that was edited away.
    public func forgetUnused() {
        contents.withLock { contents in
            contents.calls = contents.calls.filter { contents.used.contains($0.key) }
            contents.encoded = contents.encoded.filter { contents.used.contains($0.key) }
            contents.used = []
        }
    }

    /// Every call's state, encoded for the store.
    public func encoded() -> [AnomalyStateRecord] {
        contents.withLock { contents in
            var calls = Array(contents.encoded.values)
            for (key, state) in contents.calls {
                guard let fedThrough = state.fedThrough else { continue }
                let series = state.detectors.sorted { $0.key.description < $1.key.description }.map { (labels: $0.key, state: $0.value.encoded()) }
                calls.append(AnomalyStateRecord(call: key, fedThrough: fedThrough, series: series))
            }
            return calls.sorted { $0.call < $1.call }
        }
    }

    /// Series with a detector, over all calls.
    public var seriesCount: Int {
        contents.withLock { contents in
            contents.calls.values.reduce(0) { $0 + $1.detectors.count } + contents.encoded.values.reduce(0) { $0 + $1.series.count }
        }
    }
}
