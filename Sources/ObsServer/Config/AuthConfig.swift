/// Bearer tokens for the HTTP API, read at start-up from environment variables whose names
/// the config gives (`auth.ingest_tokens_env`, `auth.query_tokens_env`). Each variable holds
/// comma-separated tokens; unset or empty means that side needs no token.
public struct AuthConfig: Sendable, Equatable {
    public var ingestTokensEnv = "OBS_INGEST_TOKENS"
    public var queryTokensEnv = "OBS_QUERY_TOKENS"

    public init() {}

    public func tokens(_ variable: String, in environment: [String: String]) -> [String] {
        (environment[variable] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
