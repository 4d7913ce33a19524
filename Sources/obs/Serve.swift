import ArgumentParser
import Foundation
import Logging
import ObsRules
import ObsServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the daemon: HTTP and UDP ingest, storage, query API.",
        discussion: "With no arguments: data in ./obs-data/obs.db, HTTP on 127.0.0.1:4318, UDP on 127.0.0.1:5140."
    )

    @Option(name: .long, help: "YAML config file (env OBS_CONFIG).")
    var config: String?

    @Option(name: .long, help: "Directory of obs.db (env OBS_DATA_DIR).")
    var dataDir: String?

    @Option(name: .long, help: "HTTP listen address HOST:PORT; port 0 picks a free port (env OBS_HTTP).")
    var http: String?

    @Option(name: .long, help: "UDP listen address HOST:PORT; port 0 picks a free port (env OBS_UDP).")
    var udp: String?

    @Option(name: .long, help: "Alert rule files: a directory of *.yaml or one file (env OBS_RULES, default ./rules).")
    var rules: String?

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical (env OBS_LOG_LEVEL).")
    var logLevel: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let level = (logLevel ?? environment["OBS_LOG_LEVEL"]).flatMap { Logger.Level(rawValue: $0) } ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "obs")
        let settings: ObsConfig
        do {
            settings = try ObsConfig.resolve(
                .init(configFile: config, dataDir: dataDir, http: http, udp: udp, rules: rules), environment: environment
            )
        } catch {
            FileHandle.standardError.write(Data("obs: the configuration is invalid; not starting:\n\(error)\n".utf8))
            throw ExitCode(2)
        }
        do {
            try await Daemon(config: settings, environment: environment, logger: logger).run()
        } catch let error as RuleCheckError {
            FileHandle.standardError.write(Data("obs: the rule files are invalid; not starting:\n\(error)\n".utf8))
            throw ExitCode(2)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("obs: the configuration is invalid; not starting:\n\(error)\n".utf8))
            throw ExitCode(2)
        } catch {
            FileHandle.standardError.write(Data("obs: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
