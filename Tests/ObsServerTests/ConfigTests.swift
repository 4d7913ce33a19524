import ObsServer
import ObsCore
import Testing

@Suite("Configuration")
struct ConfigTests {
    @Test("defaults: the daemon works with no file")
    func defaults() throws {
        let config = try ObsConfig.resolve(.init(), environment: [:])
        #expect(config.http == HostPort(host: "127.0.0.1", port: 4318))
        #expect(config.udp == HostPort(host: "127.0.0.1", port: 5140))
        #expect(config.databasePath == "./obs-data/obs.db")
        #expect(config.limits.maxBodyBytes == 8 << 20)
        #expect(config.limits.queueEvents == 200_000)
        #expect(config.retention.logs == .seconds(7 * 86_400))
    }

    @Test("every key of the file")
    func fullFile() throws {
        let config = try ObsConfig.parse(yaml: """
            http: 0.0.0.0:8080
            udp: "[::1]:0"
            data_dir: /var/lib/obs
            retention: {logs: 30d}
            limits: {max_body_bytes: 16MiB, max_line_bytes: 256KiB, queue_events: 5_000}
            """, file: "obs.yaml")
        #expect(config.http == HostPort(host: "0.0.0.0", port: 8080))
        #expect(config.udp == HostPort(host: "::1", port: 0))
        #expect(config.databasePath == "/var/lib/obs/obs.db")
        #expect(config.retention.logs == .seconds(30 * 86_400))
        #expect(config.limits.maxBodyBytes == 16 << 20)
        #expect(config.limits.maxLineBytes == 256 << 10)
        #expect(config.limits.queueEvents == 5000)
    }

    @Test("aggregation keys: grace, request logs, series limit, rollup retention")
    func aggregationKeys() throws {
        let defaults = ObsConfig()
        #expect(defaults.aggregate.enabled && defaults.aggregate.grace == .seconds(30) && defaults.aggregate.requestLogs == "auto")
        #expect(defaults.limits.series == 10_000)
        #expect(defaults.retention.rollups10s == .seconds(2 * 86_400) && defaults.retention.rollups1h == .seconds(400 * 86_400))
        let config = try ObsConfig.parse(yaml: """
            retention: {rollups_10s: 1d, rollups_1m: 7d, rollups_1h: 90d}
            limits: {series: 500}
            aggregate: {enabled: false, grace: 1m, request_logs: never}
            """, file: "obs.yaml")
        #expect(config.retention.rollups10s == .seconds(86_400))
        #expect(config.retention.rollups1m == .seconds(7 * 86_400))
        #expect(config.retention.rollups1h == .seconds(90 * 86_400))
        #expect(config.limits.series == 500)
        #expect(!config.aggregate.enabled)
        #expect(config.aggregate.grace == .seconds(60))
        #expect(config.aggregate.requestLogs == "never")

        do {
            _ = try ObsConfig.parse(yaml: "aggregate: {enabled: maybe, request_logs: sometimes, window: 5m}\n", file: "obs.yaml")
            Issue.record("accepted invalid aggregate keys")
        } catch {
            #expect(error.problems.map(\.description) == [
                "obs.yaml:1:22: aggregate.enabled: \"maybe\" is not true or false",
                "obs.yaml:1:43: aggregate.request_logs: \"sometimes\" is not one of auto, always, never",
                "obs.yaml:1:62: aggregate.window: unknown key",
            ])
        }
        do {
            _ = try ObsConfig.parse(yaml: "limits: {series: 0}\naggregate: {grace: 2h}\n", file: "obs.yaml")
            Issue.record("accepted out-of-range values")
        } catch {
            #expect(error.problems.map(\.description) == [
                "obs.yaml: limits.series: must be at least 1",
                "obs.yaml: aggregate.grace: must be between 0s and 1h",
            ])
        }
    }

    @Test("all problems at once, each with file:line:column and key")
    func problems() {
        do {
            _ = try ObsConfig.parse(yaml: """
                http: nowhere
                limits:
                  queue_events: many
                  max_line_bytes: 1KB
                colour: blue
                scrape: {}
                auth: {query_tokens: x}
                """, file: "obs.yaml")
            Issue.record("expected a ConfigError")
        } catch {
            #expect(error.problems.map(\.description) == [
                "obs.yaml:1:7: http: \"nowhere\" is not HOST:PORT (e.g. 127.0.0.1:4318; port 0 picks a free port)",
                "obs.yaml:3:17: limits.queue_events: \"many\" is not a whole number",
                "obs.yaml:5:9: colour: unknown key",
                "obs.yaml:6:9: scrape: is not supported by this version of obs yet",
                "obs.yaml:7:22: auth.query_tokens: unknown key",
            ])
        }
    }

    @Test("incidents: severities, grouping and cooldown, and their bad values")
    func incidents() throws {
        let config = try ObsConfig.parse(yaml: "incidents: {severities: [page, critical], group_by: [team], cooldown: 10m}", file: "f")
        #expect(config.incidents.policy.severities == ["page", "critical"])
        #expect(config.incidents.policy.groupBy == ["team"])
        #expect(config.incidents.policy.cooldown == .seconds(600))
        #expect(ObsConfig().incidents.policy.cooldown == .seconds(300))
        do {
            _ = try ObsConfig.parse(yaml: "incidents: {severities: [], cooldown: soon, paging: yes}", file: "obs.yaml")
            Issue.record("expected a ConfigError")
        } catch {
            #expect(error.problems.map(\.key) == ["incidents.cooldown", "incidents.paging"])
        }
    }

    @Test("cross-field validation and YAML syntax errors")
    func validation() {
        #expect(throws: ConfigError.self) { try ObsConfig.parse(yaml: "limits: {max_body_bytes: 1KiB, max_line_bytes: 2KiB}", file: "f") }
        #expect(throws: ConfigError.self) { try ObsConfig.parse(yaml: "retention: {logs: 10s}", file: "f") }
        #expect(throws: ConfigError.self) { try ObsConfig.parse(yaml: "http: [unclosed", file: "f") }
        #expect(throws: ConfigError.self) { try ObsConfig.parse(yaml: "- a list", file: "f") }
    }

    @Test("environment over file, flags over environment")
    func precedence() throws {
        let environment = ["OBS_HTTP": "127.0.0.1:9000", "OBS_DATA_DIR": "/env", "OBS_UDP": "127.0.0.1:9001"]
        let config = try ObsConfig.resolve(.init(dataDir: "/flag", http: "127.0.0.1:0"), environment: environment)
        #expect(config.http.port == 0)
        #expect(config.udp.port == 9001)
        #expect(config.dataDir == "/flag")
        #expect(throws: ConfigError.self) { try ObsConfig.resolve(.init(udp: "nope"), environment: [:]) }
        #expect(throws: ConfigError.self) { try ObsConfig.resolve(.init(), environment: ["OBS_HTTP": "x"]) }
    }

    @Test("listen addresses", arguments: [
        ("127.0.0.1:4318", "127.0.0.1", 4318), (":4318", "0.0.0.0", 4318), ("[::1]:0", "::1", 0), ("localhost:5140", "localhost", 5140),
    ])
    func hostPorts(text: String, host: String, port: Int) {
        #expect(HostPort(parsing: text) == HostPort(host: host, port: port))
    }

    @Test("invalid listen addresses", arguments: ["4318", "host:", "host:70000", "[::1]4318", "host:-1"])
    func badHostPorts(text: String) {
        #expect(HostPort(parsing: text) == nil)
    }
}

@Suite("Log query parameters")
struct LogQueryParametersTests {
    func parse(_ parameters: [String: String]) -> Result<LogQuery, LogQueryParameters.Invalid> {
        LogQueryParameters.parse({ parameters[$0] }, now: .init(nanoseconds: 3_600_000_000_000))
    }

    @Test("valid parameters")
    func valid() throws {
        let query = try parse(["service": "cart", "level": "warn", "q": "timeout", "trace_id": "ABCDEF0123456789",
                               "since": "15m", "until": "1970-01-01T01:00:00Z", "limit": "5"]).get()
        #expect(query.service == "cart")
        #expect(query.minimumSeverity?.number == 13)
        #expect(query.text == "timeout")
        #expect(query.traceID == "abcdef0123456789")
        #expect(query.since?.nanoseconds == 2_700_000_000_000)
        #expect(query.until?.nanoseconds == 3_600_000_000_000)
        #expect(query.limit == 5)
    }

    @Test("invalid parameters name the parameter")
    func invalid() {
        func message(_ parameters: [String: String]) -> String? {
            if case .failure(let invalid) = parse(parameters) { return invalid.message }
            return nil
        }
        #expect(message(["level": "loud"]) == "level: \"loud\" is not a level (trace, debug, info, warn, error, fatal, or 1–24)")
        #expect(message(["limit": "0"]) == "limit: \"0\" must be a whole number from 1 to 100000")
        #expect(message(["limit": "100001"]) == "limit: \"100001\" must be a whole number from 1 to 100000")
        #expect(message(["since": "the dawn of time"]) == "since: \"the dawn of time\" is not a time (RFC 3339, epoch seconds, or a duration ago such as 15m)")
        #expect(message(["trace_id": "xyz"]) == "trace_id: \"xyz\" is not a hex trace id")
    }
}
