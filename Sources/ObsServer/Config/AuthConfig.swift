import Yams

/// `auth`: bearer tokens for the HTTP API, read at start-up from environment variables whose
/// names the config gives. Each variable holds comma-separated tokens; unset or empty means
/// that side needs no token.
///
/// | key | default |
/// |---|---|
/// | `auth.ingest_tokens_env` | `OBS_INGEST_TOKENS` |
/// | `auth.query_tokens_env` | `OBS_QUERY_TOKENS` |
public struct AuthConfig: ConfigSection {
    public var ingestTokensEnv = "OBS_INGEST_TOKENS"
    public var queryTokensEnv = "OBS_QUERY_TOKENS"

    public init() {}

    public func tokens(_ variable: String, in environment: [String: String]) -> [String] {
        (environment[variable] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    mutating func read(_ node: Node, path: String, walker: inout ConfigWalker) {
        walker.mapping(node, path: path) { key, value, walker in
            switch key {
            case "ingest_tokens_env": walker.string(value, path: "\(path).ingest_tokens_env") { self.ingestTokensEnv = $0 }
            case "query_tokens_env": walker.string(value, path: "\(path).query_tokens_env") { self.queryTokensEnv = $0 }
            default: walker.unknown(value, path: "\(path).\(key)")
            }
        }
    }
}
