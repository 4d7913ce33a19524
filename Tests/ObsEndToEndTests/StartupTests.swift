import Foundation
import ObsTesting
import Testing

@Suite("Start-up and configuration")
struct StartupTests {
    @Test("an invalid config is refused with every problem, file, line and key")
    func invalidConfig() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try directory.write("obs.yaml", """
            http: 127.0.0.1:99999
            limits:
              max_body_bytes: 8XB
              queue_size: 10
            retention: {logs: forever}
            """)
        let result = try ObsBinary.run(["serve", "--config", config, "--data-dir", directory.file("data")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(config):1:7: http: \"127.0.0.1:99999\" is not HOST:PORT"))
        #expect(result.stderr.contains("\(config):3:19: limits.max_body_bytes: \"8XB\" is not a size"))
        #expect(result.stderr.contains("\(config):4:15: limits.queue_size: unknown key"))
        #expect(result.stderr.contains("\(config):5:19: retention.logs: \"forever\" is not a duration"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("data/obs.db")))
    }

    @Test("flags override the config file; port 0 binds free ports and reports them")
    func flagsOverrideFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try directory.write("obs.yaml", "http: 127.0.0.1:1\nudp: 127.0.0.1:1\ndata_dir: \(directory.file("from-file"))\n")
        let daemon = try await DaemonProcess.start(dataDir: directory.file("from-flag"), extraArguments: ["--config", config])
        #expect(daemon.httpPort != 1 && daemon.httpPort != 0)
        #expect(daemon.udpPort != 1 && daemon.udpPort != 0)
        #expect(FileManager.default.fileExists(atPath: directory.file("from-flag/obs.db")))
        #expect(!FileManager.default.fileExists(atPath: directory.file("from-file")))
        #expect(try await daemon.stop() == 0)
    }
}

@Suite("Authentication")
struct AuthenticationTests {
    @Test("configured tokens: 401 without or with a wrong token, 200 with one; health and metrics stay open")
    func bearerTokens() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try directory.write("obs.yaml", "auth: {ingest_tokens_env: SHIPPER_TOKENS}\n")
        let daemon = try await DaemonProcess.start(
            dataDir: directory.file("data"), extraArguments: ["--config", config],
            environment: ["SHIPPER_TOKENS": "ship-1, ship-2", "OBS_QUERY_TOKENS": "reader"]
        )
        let body = "{\"msg\":\"authenticated\",\"service\":\"auth\"}"
        let missing = try await postLogs(daemon, body)
        #expect(missing.status == 401)
        #expect(missing.headers["www-authenticate"] == "Bearer")
        #expect(missing.text.contains("a bearer token is required"))
        #expect(try await postLogs(daemon, body, headers: ["Authorization": "Bearer ship-3"]).status == 401)
        #expect(try await postLogs(daemon, body, headers: ["Authorization": "Bearer reader"]).status == 401)
        #expect(try await postLogs(daemon, body, headers: ["Authorization": "Bearer ship-2"]).status == 200)

        #expect(try await HTTPClient.get(daemon.baseURL.appendingPathComponent("api/v1/logs")).status == 401)
        #expect(try await HTTPClient.get(daemon.baseURL.appendingPathComponent("healthz")).status == 200)
        #expect(try await HTTPClient.get(daemon.baseURL.appendingPathComponent("metrics")).status == 200)

        let denied = try ObsBinary.run(["query", "logs", "--url", daemon.baseURL.absoluteString])
        #expect(denied.status != 0)
        #expect(denied.stderr.contains("401"))
        #expect(try queryLogs(daemon, ["--token", "reader"]).map { $0["message"] as? String } == ["authenticated"])
        let viaEnvironment = try ObsBinary.run(["query", "logs", "--url", daemon.baseURL.absoluteString, "--format", "json"],
                                               environment: ["OBS_TOKEN": "reader"])
        #expect(viaEnvironment.stdout.contains("authenticated"))
        #expect(try await daemon.stop() == 0)
    }
}
