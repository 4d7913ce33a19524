import Foundation
import ObsAggregate
import ObsCore
import ObsQuery
import ObsStorage

/// `obs query 'EXPR'`: evaluates through the daemon's `/api/v1/query[_range]`, or directly on
/// the SQLite file (`--db`, daemon up or down: stored rollups only, as the daemon's open
/// buckets live in its memory until they are flushed, within about grace + 10 s).
public enum ExpressionQueryClient {
    /// `slos`: what `burn_rate(…)` can name with `--db` (the daemon knows its own).
    public static func fetch(_ request: QueryRequest, from source: LogSource, slos: SLOCatalog = SLOCatalog()) async throws(CLIError) -> QueryResult {
        switch source {
        case .database(let path):
            let database = try ReadOnlyStore.open(path)
            defer { try? database.close() }
            let store = SQLiteRollupStore(database: database, merger: LatencySketch.mergeEncoded)
            do {
                return try await QueryEvaluator(source: RollupQuerySource(reader: store, aggregator: nil), slos: slos).run(request)
            } catch {
                throw CLIError(error.description)
            }
        case .api(let base, let token):
            let path: String
            var items = [URLQueryItem(name: "expr", value: request.expression)]
            switch request.evaluation {
            case .instant(let time):
                path = "api/v1/query"
                items.append(.init(name: "time", value: time.rfc3339))
            case .range(let start, let end, let step):
                path = "api/v1/query_range"
                items.append(.init(name: "start", value: start.rfc3339))
                items.append(.init(name: "end", value: end.rfc3339))
                items.append(.init(name: "step", value: "\(step.totalNanoseconds / 1_000_000_000)s"))
            }
            let url = try APIURL.make(base, path: path, items)
            let (body, status) = try await HTTPGet.fetch(url, token: token)
            if status == 400 { throw CLIError(HTTPGet.errorMessage(body)) }
            guard status == 200 else { throw CLIError("\(url.host ?? "server") answered \(status): \(HTTPGet.errorMessage(body))") }
            return try APIQueryDecoder.decode(body)
        }
    }
}
