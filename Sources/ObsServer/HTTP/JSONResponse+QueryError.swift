import Hummingbird
import ObsQuery

extension JSONResponse {
    /// A query's failure in Prometheus' error shape: 400 `bad_data` for the question, 500
    /// `internal` when the store failed.
    static func queryError(_ error: QueryError) -> Response {
        let status: HTTPResponse.Status = error.isStorageFailure ? .internalServerError : .badRequest
        return make(status, QueryResult.errorJSON(error.description, type: status == .badRequest ? "bad_data" : "internal"))
    }
}
