import Foundation
import ObsCore
import ObsQuery
import ObsRules

/// `obs rules test --url`: a rule's condition evaluated through a daemon's
/// `/api/v1/query_range` — each side of a comparison queried over the instants, then compared
/// here by the same `ConditionResult` code the daemon uses, so the episodes equal those of
/// `--db` on the same store.
struct APIConditionSource: RuleConditionSource {
    let base: URL
    let token: String?

    /// The daemon rebuilds anomaly detectors at each query: `anomalies` is not needed.
    func condition(of rule: AlertingRule, at times: [Timestamp], anomalies: AnomalyMemory) async throws(QueryError) -> ConditionResult {
        guard case .binary(let operation) = rule.expression, operation.op.isComparison else {
            return try ConditionResult.holdingWhereValued(try await operand(rule.query, rule.expression, at: times), times: times,
                                                          position: rule.expression.position)
        }
        let (lhsText, rhsText) = Self.split(rule.query, at: operation.position, operatorLength: operation.op.rawValue.count)
        let lhs = try await operand(lhsText, operation.lhs, at: times)
        let rhs = try await operand(rhsText, operation.rhs, at: times)
        return try ConditionResult.comparing(lhs, operation, rhs, times: times)
    }

    /// A side that is a number literal needs no query.
    private func operand(_ text: String, _ expression: ObsQuery.Expression, at times: [Timestamp]) async throws(QueryError) -> ConditionResult.Operand {
        switch expression {
        case .number(let value, _): return .number(value)
        case .negation(.number(let value, _), _): return .number(-value)
        default: break
        }
        guard let first = times.first, let last = times.last else { return .series([]) }
        let step = times.count > 1 ? times[1].nanoseconds - times[0].nanoseconds : 1_000_000_000
        let items = [
            URLQueryItem(name: "expr", value: text), URLQueryItem(name: "start", value: first.rfc3339),
            URLQueryItem(name: "end", value: last.rfc3339), URLQueryItem(name: "step", value: "\(Double(step) / 1e9)s"),
        ]
        let result: QueryResult
        do {
            let url = try APIURL.make(base, path: "api/v1/query_range", items)
            let (body, status) = try await HTTPGet.fetch(url, token: token)
            guard status == 200 else { throw CLIError(HTTPGet.errorMessage(body)) }
            result = try APIQueryDecoder.decode(body)
        } catch {
            throw QueryError(at: nil, "\(error)")
        }
        let index = Dictionary(times.enumerated().map { ($0.element.nanoseconds, $0.offset) }, uniquingKeysWith: { first, _ in first })
        return .series(result.series.map { series in
            var values = [Double?](repeating: nil, count: times.count)
            for point in series.points {
                if let position = index[point.time.nanoseconds] { values[position] = point.value }
            }
            return (series.labels, values)
        })
    }

    /// The source text before and after the comparison operator at `position`.
    static func split(_ text: String, at position: SourcePosition, operatorLength: Int) -> (String, String) {
        var line = 1, column = 1
        var index = text.startIndex
        while index < text.endIndex, (line, column) < (position.line, position.column) {
            if text[index] == "\n" { line += 1; column = 1 } else { column += 1 }
            index = text.index(after: index)
        }
        let rhsStart = text.index(index, offsetBy: operatorLength, limitedBy: text.endIndex) ?? text.endIndex
        return (String(text[..<index]), String(text[rhsStart...]))
    }
}
