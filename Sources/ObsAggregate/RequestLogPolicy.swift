/// Whether request log lines count as requests (`aggregate.request_logs`). Services often
/// send both an access log line and a server span for one request; each must count once.
public enum RequestLogPolicy: String, Sendable, CaseIterable {
    /// A request log line that carries a `span_id` does not count while its service is
    /// sending request spans (seen in the last five minutes); other request lines count.
    case auto
    case always
    case never
}
