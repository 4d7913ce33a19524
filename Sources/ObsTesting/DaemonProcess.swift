import Foundation

/// A real `obs serve` child process on ephemeral ports with its own data directory.
/// The bound ports are read from the start-up line `obs listening http=HOST:PORT udp=HOST:PORT`.
public final class DaemonProcess: Sendable {
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    public let dataDir: String
    public let httpPort: Int
    public let udpPort: Int
    private let process: Process
    private let stderrText: SharedText

    public var baseURL: URL { URL(string: "http://127.0.0.1:\(httpPort)")! }
    public var databasePath: String { dataDir + "/obs.db" }
    public var pid: Int32 { process.processIdentifier }

    /// Everything the daemon wrote to stderr so far.
    public var log: String { stderrText.value }

    public static func start(
        dataDir: String, extraArguments: [String] = [], environment: [String: String] = [:], timeout: Duration = .seconds(60)
    ) async throws -> DaemonProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ObsBinary.path)
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        process.arguments = ["serve", "--data-dir", dataDir, "--http", "127.0.0.1:0", "--udp", "127.0.0.1:0"] + extraArguments
        let collected = SharedText.collectingStandardError(of: process)
        try process.run()
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            let text = collected.value
            if let ports = Self.ports(in: text) {
                return DaemonProcess(process: process, dataDir: dataDir, httpPort: ports.http, udpPort: ports.udp, stderr: collected)
            }
            if !process.isRunning {
                throw StartError(description: "obs serve exited with \(process.terminationStatus) before listening:\n\(text)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.terminate()
        throw StartError(description: "obs serve did not report its ports in time:\n\(collected.value)")
    }

    private init(process: Process, dataDir: String, httpPort: Int, udpPort: Int, stderr: SharedText) {
        self.process = process
        self.dataDir = dataDir
        self.httpPort = httpPort
        self.udpPort = udpPort
        self.stderrText = stderr
    }

    static func ports(in text: String) -> (http: Int, udp: Int)? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains("obs listening http=") }) else { return nil }
        func port(after key: String) -> Int? {
            guard let range = line.range(of: key) else { return nil }
            let rest = line[range.upperBound...].prefix { $0 != " " }
            return rest.split(separator: ":").last.flatMap { Int($0) }
        }
        guard let http = port(after: "http="), let udp = port(after: "udp=") else { return nil }
        return (http, udp)
    }

    /// Sends a signal and waits for the process to exit; returns its exit status
    /// (or the signal number for a signal death).
    @discardableResult
    public func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(60)) async throws -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while process.isRunning, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            throw StartError(description: "obs serve did not exit within \(timeout) after signal \(signal)")
        }
        return process.terminationStatus
    }

    public var terminationReason: Process.TerminationReason { process.terminationReason }
}
