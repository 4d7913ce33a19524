import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real Prometheus Alertmanager child process (installed by scripts/setup-alertmanager.sh) on a free
/// loopback port, with clustering off and one webhook receiver, for interoperability tests.
public final class AlertmanagerProcess: Sendable {
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    public static let setupHint = "run scripts/setup-alertmanager.sh to install Debian's prometheus-alertmanager"

    /// The first of `prometheus-alertmanager` (Debian's name) or `alertmanager` (upstream's) on PATH, then /usr/bin.
    public static var binaryPath: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin"]
        for name in ["prometheus-alertmanager", "alertmanager"] {
            for directory in directories where !directory.isEmpty {
                let candidate = directory + "/" + name
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    public let port: Int
    public let directory: String
    private let process: Process
    private let stderrText: SharedText

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var pid: Int32 { process.processIdentifier }

    /// Everything Alertmanager logged so far (it logs to stderr only).
    public var stderr: String { stderrText.value }

    /// The exit status (or the signal number for a signal death), once the process has ended.
    public var exitStatus: Int32? { process.isRunning ? nil : process.terminationStatus }

    /// Writes `alertmanager.yml` into `directory`, routing every alert to one webhook receiver that posts to
    /// `webhookURL` with `send_resolved: true`, starts Alertmanager with its storage in `directory` and
    /// returns once `GET /-/ready` answers 200.
    public static func start(
        webhookURL: String,
        directory: String,
        groupBy: [String] = ["alertname", "service"],
        groupWait: Duration = .seconds(1),
        groupInterval: Duration = .seconds(1),
        repeatInterval: Duration = .seconds(3600),
        extraArguments: [String] = [],
        timeout: Duration = .seconds(30)
    ) async throws -> AlertmanagerProcess {
        guard let binary = binaryPath else {
            throw StartError(description: "no prometheus-alertmanager or alertmanager on PATH or in /usr/bin: \(setupHint)")
        }
        let configPath = directory + "/alertmanager.yml"
        let config = configuration(
            webhookURL: webhookURL, groupBy: groupBy, groupWait: groupWait, groupInterval: groupInterval, repeatInterval: repeatInterval
        )
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let storage = directory + "/storage"
        try FileManager.default.createDirectory(atPath: storage, withIntermediateDirectories: true)

        // The free port can be taken between probing and Alertmanager's bind; only that failure is retried.
        var attempt = 1
        while true {
            let port = try FreePort.loopbackTCP()
            let arguments = [
                "--config.file=\(configPath)",
                "--storage.path=\(storage)",
                "--web.listen-address=127.0.0.1:\(port)",
                // Without it the payload's externalURL is built from the machine's hostname.
                "--web.external-url=http://127.0.0.1:\(port)",
                // An empty address disables the gossip mesh, which would otherwise bind 0.0.0.0:9094.
                "--cluster.listen-address=",
            ] + extraArguments
            do {
                return try await launch(binary: binary, arguments: arguments, port: port, directory: directory, timeout: timeout)
            } catch is PortTaken where attempt < 3 {
                attempt += 1
            } catch let error as PortTaken {
                throw StartError(description: error.description)
            }
        }
    }

    private struct PortTaken: Error, CustomStringConvertible {
        var description: String
    }

    private static func launch(
        binary: String, arguments: [String], port: Int, directory: String, timeout: Duration
    ) async throws -> AlertmanagerProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let collected = SharedText.collectingStandardError(of: process)
        try process.run()
        let started = AlertmanagerProcess(process: process, port: port, directory: directory, stderr: collected)
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if await started.isReady() { return started }
            if !process.isRunning {
                let log = collected.value
                let reason = "prometheus-alertmanager exited with \(process.terminationStatus) before it was ready:\n\(log)"
                if log.contains("address already in use") { throw PortTaken(description: reason) }
                throw StartError(description: reason)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        try? await started.stop()
        throw StartError(description: "prometheus-alertmanager was not ready on port \(port) within \(timeout):\n\(collected.value)")
    }

    private init(process: Process, port: Int, directory: String, stderr: SharedText) {
        self.process = process
        self.port = port
        self.directory = directory
        self.stderrText = stderr
    }

    private static let probeSession: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        // Short, so a wedged start-up shows up as a loop of quick failures instead of one long wait.
        configuration.timeoutIntervalForRequest = 2
        return URLSession(configuration: configuration)
    }()

    private func isReady() async -> Bool {
        guard let url = URL(string: baseURL + "/-/ready") else { return false }
        do {
            let (_, response) = try await Self.probeSession.data(from: url)
            return (response as? HTTPURLResponse)?.statusCode == 200
        } catch {
            return false
        }
    }

    /// Sends SIGTERM and waits for the exit, escalating to SIGKILL after `gracePeriod`.
    public func stop(gracePeriod: Duration = .seconds(10)) async throws {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        if try await waitForExit(within: gracePeriod) { return }
        kill(process.processIdentifier, SIGKILL)
        if try await waitForExit(within: .seconds(10)) { return }
        throw StartError(description: "prometheus-alertmanager (pid \(process.processIdentifier)) survived SIGKILL")
    }

    private func waitForExit(within limit: Duration) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while process.isRunning, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return !process.isRunning
    }

    static func configuration(
        webhookURL: String, groupBy: [String], groupWait: Duration, groupInterval: Duration, repeatInterval: Duration
    ) -> String {
        """
        route:
          receiver: recorder
          group_by: [\(groupBy.map(yamlString).joined(separator: ", "))]
          group_wait: \(durationText(groupWait))
          group_interval: \(durationText(groupInterval))
          repeat_interval: \(durationText(repeatInterval))
        receivers:
          - name: recorder
            webhook_configs:
              - url: \(yamlString(webhookURL))
                send_resolved: true

        """
    }

    /// A JSON string literal is also a valid YAML double-quoted scalar, which spares writing a YAML escaper.
    static func yamlString(_ text: String) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes]) else {
            return "\"\""
        }
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }

    /// Alertmanager's durations take whole units only (`1500ms`, not `1.5s`); whole seconds read better in a log.
    static func durationText(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}
