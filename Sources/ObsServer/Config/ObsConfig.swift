import ObsCore

/// The daemon's configuration. Mirrors `obs.yaml` key for key; every key is optional.
///
/// | key | default | env |
/// |---|---|---|
/// | `http` | `127.0.0.1:4318` | `OBS_HTTP` |
/// | `udp` | `127.0.0.1:5140` | `OBS_UDP` |
/// | `data_dir` | `./obs-data` | `OBS_DATA_DIR` |
/// | `retention.logs` | `7d` | — |
/// | `retention.spans` | `7d` | — |
/// | `retention.rollups_10s` | `2d` | — |
/// | `retention.rollups_1m` | `30d` | — |
/// | `retention.rollups_1h` | `400d` | — |
/// | `limits.series` | `10000` (request series per service) | — |
/// | `limits.services` | `1000` (services aggregated by name) | — |
/// | `aggregate.enabled` | `true` | — |
/// | `aggregate.grace` | `30s` | — |
/// | `aggregate.request_logs` | `auto` (`always`, `never`) | — |
/// | `limits.max_body_bytes` | `8MiB` | — |
/// | `limits.max_line_bytes` | `1MiB` | — |
/// | `limits.queue_events` | `200000` | — |
/// | `auth.ingest_tokens_env` | `OBS_INGEST_TOKENS` | (names the variable) |
/// | `auth.query_tokens_env` | `OBS_QUERY_TOKENS` | (names the variable) |
///
/// Precedence: defaults, then the file, then environment variables, then flags.
public struct ObsConfig: Sendable, Equatable {
    public var http = HostPort(host: "127.0.0.1", port: 4318)
    public var udp = HostPort(host: "127.0.0.1", port: 5140)
    public var dataDir = "./obs-data"
    public var retention = RetentionConfig()
    public var limits = LimitsConfig()
    public var auth = AuthConfig()
    public var aggregate = AggregateConfig()

    public init() {}

    public var databasePath: String {
        dataDir.hasSuffix("/") ? dataDir + "obs.db" : dataDir + "/obs.db"
    }

    /// Cross-field checks the YAML walk cannot make; returns every problem found.
    public func validate() -> [ConfigError.Problem] {
        var problems: [ConfigError.Problem] = []
        if dataDir.isEmpty {
            problems.append(.init(location: "", key: "data_dir", reason: "must not be empty"))
        }
        if limits.maxLineBytes > limits.maxBodyBytes {
            problems.append(.init(location: "", key: "limits.max_line_bytes",
                                  reason: "\(limits.maxLineBytes) bytes is larger than limits.max_body_bytes (\(limits.maxBodyBytes))"))
        }
        if limits.queueEvents < 1 {
            problems.append(.init(location: "", key: "limits.queue_events", reason: "must be at least 1"))
        }
        if retention.logs < .seconds(60) {
            problems.append(.init(location: "", key: "retention.logs", reason: "must be at least 1m"))
        }
        if retention.spans < .seconds(60) {
            problems.append(.init(location: "", key: "retention.spans", reason: "must be at least 1m"))
        }
        for (key, value) in [("rollups_10s", retention.rollups10s), ("rollups_1m", retention.rollups1m), ("rollups_1h", retention.rollups1h)]
        where value < .seconds(3600) {
            problems.append(.init(location: "", key: "retention.\(key)", reason: "must be at least 1h"))
        }
        if limits.series < 1 {
            problems.append(.init(location: "", key: "limits.series", reason: "must be at least 1"))
        }
        if limits.services < 1 {
            problems.append(.init(location: "", key: "limits.services", reason: "must be at least 1"))
        }
        if aggregate.grace < .zero || aggregate.grace > .seconds(3600) {
            problems.append(.init(location: "", key: "aggregate.grace", reason: "must be between 0s and 1h"))
        }
        return problems
    }
}

public struct RetentionConfig: Sendable, Equatable {
    public var logs: Duration = .seconds(7 * 86_400)
    public var spans: Duration = .seconds(7 * 86_400)
    public var rollups10s: Duration = .seconds(2 * 86_400)
    public var rollups1m: Duration = .seconds(30 * 86_400)
    public var rollups1h: Duration = .seconds(400 * 86_400)
}

public struct LimitsConfig: Sendable, Equatable {
    public var maxBodyBytes = 8 << 20
    public var maxLineBytes = 1 << 20
    public var queueEvents = 200_000
    /// Request series (route × method) kept per service; beyond it, route="other".
    public var series = 10_000
    /// Services aggregated under their own name; beyond it, service="other".
    public var services = 1_000
}

public struct AggregateConfig: Sendable, Equatable {
    /// Off: no rollups are computed (queries see only what earlier runs stored).
    public var enabled = true
    /// How long a 10 s bucket stays open after its end for records that arrive late.
    public var grace: Duration = .seconds(30)
    /// `auto`, `always` or `never`: whether request log lines count as requests.
    public var requestLogs = "auto"
}
