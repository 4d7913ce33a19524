import ObsCore

/// `anomaly(EXPR, baseline=1h, season=none|1d|1w, direction=up|down|both, min_history=DUR)`
/// checked and read: the expression whose series are scored and the detector's parameters.
/// `key` names the call's detector state: the call as written in canonical form, so a rule
/// whose call changes starts from a state rebuilt for the new parameters.
struct AnomalyCall {
    var operand: Expression
    var parameters: AnomalyParameters
    var key: String

    static let argumentNames = ["baseline", "season", "direction", "min_history"]
    /// Longer baselines and histories would make a rebuild read weeks of samples per series.
    static let longestBaselineSeconds: Int64 = 7 * 86_400
    static let longestMinHistorySeconds: Int64 = 28 * 86_400

    init(_ call: FunctionCall) throws(QueryError) {
        guard let first = call.arguments.first, first.name == nil else {
            throw QueryError(at: call.position, "anomaly needs the expression to score first, e.g. anomaly(p95(latency[1m]) by (service), baseline=1h)")
        }
        operand = first.value
        if Self.containsAnomaly(operand) {
            throw QueryError(at: operand.position, "anomaly(…) cannot score another anomaly(…)")
        }
        var baseline: Int64 = 3600
        var season = AnomalyParameters.Season.none
        var direction = AnomalyParameters.Direction.up
        var minHistory: Int64?
        var seen = Set<String>()
        for argument in call.arguments.dropFirst() {
            guard let name = argument.name else {
                throw QueryError(at: argument.value.position, "anomaly takes one expression; name the other arguments (\(Self.argumentNames.joined(separator: ", ")))")
            }
            guard seen.insert(name).inserted else {
                throw QueryError(at: argument.value.position, "anomaly has \(name) twice")
            }
            switch name {
            case "baseline":
                baseline = try Self.duration(argument.value, name: name, atLeast: 60, atMost: Self.longestBaselineSeconds)
            case "min_history":
                minHistory = try Self.duration(argument.value, name: name, atLeast: 10, atMost: Self.longestMinHistorySeconds)
            case "season":
                season = try Self.season(argument.value)
            case "direction":
                let word = try Self.word(argument.value, name: name)
                guard let value = AnomalyParameters.Direction(rawValue: word) else {
                    throw QueryError(at: argument.value.position, "direction=\(word) is not up, down or both")
                }
                direction = value
            default:
                throw QueryError(at: argument.value.position, "anomaly has no argument named \"\(name)\" (arguments: \(Self.argumentNames.joined(separator: ", ")))")
            }
        }
        do {
            parameters = try AnomalyParameters(baselineSeconds: baseline, season: season, direction: direction, minHistorySeconds: minHistory)
        } catch {
            let position = call.arguments.first { $0.name == "min_history" }?.value.position ?? call.position
            throw QueryError(at: position, error.message)
        }
        key = call.description
    }

    /// A duration argument in whole 10 s (numbers carry durations in milliseconds).
    private static func duration(_ value: Expression, name: String, atLeast low: Int64, atMost high: Int64) throws(QueryError) -> Int64 {
        let example = name == "baseline" ? "1h" : "2h"
        guard case .number(let milliseconds, let position) = value else {
            throw QueryError(at: value.position, "\(name) must be a duration such as \(example), not \(value)")
        }
        let seconds = milliseconds / 1000
        guard seconds.isFinite, seconds >= Double(low), seconds <= Double(high) else {
            throw QueryError(at: position, "\(name)=\(Self.text(milliseconds)) must be between \(DurationText.text(.seconds(low))) and \(DurationText.text(.seconds(high)))")
        }
        let whole = Int64(seconds.rounded())
        guard abs(seconds - Double(whole)) < 1e-9, whole % AnomalyParameters.sampleStep == 0 else {
            throw QueryError(at: position, "\(name) must be whole 10s steps (the sample step), such as \(example)")
        }
        return whole
    }

    private static func season(_ value: Expression) throws(QueryError) -> AnomalyParameters.Season {
        switch value {
        case .number(let milliseconds, _) where milliseconds == 86_400_000: return .day
        case .number(let milliseconds, _) where milliseconds == 604_800_000: return .week
        case .number(let milliseconds, let position):
            throw QueryError(at: position, "season=\(Self.text(milliseconds)) is not none, 1d or 1w")
        default:
            let word = try word(value, name: "season")
            guard let season = AnomalyParameters.Season(rawValue: word) else {
                throw QueryError(at: value.position, "season=\(word) is not none, 1d or 1w")
            }
            return season
        }
    }

    /// A bare word (`up`, `none`: the parser reads it as a selector without labels) or a string.
    private static func word(_ value: Expression, name: String) throws(QueryError) -> String {
        switch value {
        case .string(let text, _): return text
        case .selector(let selector) where selector.matchers.isEmpty && selector.rangeSeconds == nil: return selector.metric
        default: throw QueryError(at: value.position, "\(name) must be a word, not \(value)")
        }
    }

    /// A duration argument as written, for messages (`90s`, `250ms`).
    private static func text(_ milliseconds: Double) -> String {
        guard milliseconds.isFinite, abs(milliseconds) < 1e15 else { return Expression.format(milliseconds) + "ms" }
        return DurationText.text(.milliseconds(Int64(milliseconds.rounded())))
    }

    static func containsAnomaly(_ expression: Expression) -> Bool {
        switch expression {
        case .number, .string, .selector: false
        case .call(let call): call.name == "anomaly" || call.arguments.contains { containsAnomaly($0.value) }
        case .binary(let operation): containsAnomaly(operation.lhs) || containsAnomaly(operation.rhs)
        case .negation(let operand, _), .grouping(let operand, _, _): containsAnomaly(operand)
        }
    }
}

extension Expression {
    /// True when the expression scores series with `anomaly(…)`: its rule keeps detectors.
    public var containsAnomaly: Bool { AnomalyCall.containsAnomaly(self) }
}
