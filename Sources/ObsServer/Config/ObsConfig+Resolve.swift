extension ObsConfig {
    /// Values given on the command line; they win over the file and the environment.
    public struct Overrides: Sendable {
        public var configFile: String?
        public var dataDir: String?
        public var http: String?
        public var udp: String?
        public var rules: String?

        public init(configFile: String? = nil, dataDir: String? = nil, http: String? = nil, udp: String? = nil, rules: String? = nil) {
            self.configFile = configFile
            self.dataDir = dataDir
            self.http = http
            self.udp = udp
            self.rules = rules
        }
    }

    /// Defaults, then the config file (`--config` or `OBS_CONFIG`), then the environment, then
    /// flags; every problem is reported at once.
    public static func resolve(_ overrides: Overrides, environment: [String: String]) throws(ConfigError) -> ObsConfig {
        var config = ObsConfig()
        if let path = overrides.configFile ?? environment["OBS_CONFIG"] {
            config = try ObsConfig.load(file: path)
        }
        try config.applyEnvironment(environment)
        var problems: [ConfigError.Problem] = []
        if let dataDir = overrides.dataDir { config.dataDir = dataDir }
        if let rules = overrides.rules { config.rules.path = rules }
        if let http = overrides.http {
            if let parsed = HostPort(parsing: http) { config.http = parsed } else {
                problems.append(.init(location: "flag", key: "--http", reason: "\"\(http)\" is not HOST:PORT"))
            }
        }
        if let udp = overrides.udp {
            if let parsed = HostPort(parsing: udp) { config.udp = parsed } else {
                problems.append(.init(location: "flag", key: "--udp", reason: "\"\(udp)\" is not HOST:PORT"))
            }
        }
        problems += config.validate()
        guard problems.isEmpty else { throw ConfigError(problems: problems) }
        return config
    }
}
