import ObsCore

/// The daemon's configuration. Mirrors `obs.yaml` key for key; every key is optional. Each
/// subsystem's keys live in its section type (`RetentionConfig`, `LimitsConfig`,
/// `AggregateConfig`, `AuthConfig`, `RulesConfig`, `NotificationsConfig`), with their
/// defaults and checks.
///
/// | key | default | env |
/// |---|---|---|
/// | `http` | `127.0.0.1:4318` | `OBS_HTTP` |
/// | `udp` | `127.0.0.1:5140` | `OBS_UDP` |
/// | `data_dir` | `./obs-data` | `OBS_DATA_DIR` |
/// | `rules` | `./rules` | `OBS_RULES` |
/// | `external_url` | `http://` + `http` | `OBS_EXTERNAL_URL` |
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
    public var rules = RulesConfig()
    public var notifications = NotificationsConfig()
    public var incidents = IncidentsConfig()

    public init() {}

    public var databasePath: String {
        dataDir.hasSuffix("/") ? dataDir + "obs.db" : dataDir + "/obs.db"
    }

    /// The URL alerts link to (`{{ $externalURL }}`).
    public var externalURL: String {
        rules.externalURL ?? "http://\(http)"
    }

    /// Cross-field checks the YAML walk cannot make, section by section; every problem found.
    public func validate() -> [ConfigError.Problem] {
        var problems: [ConfigError.Problem] = []
        if dataDir.isEmpty {
            problems.append(.init(location: "", key: "data_dir", reason: "must not be empty"))
        }
        if rules.path.isEmpty {
            problems.append(.init(location: "", key: "rules", reason: "must not be empty"))
        }
        problems += limits.validate()
        problems += retention.validate()
        problems += aggregate.validate()
        problems += rules.validate()
        problems += notifications.validate()
        problems += incidents.validate()
        return problems
    }
}
