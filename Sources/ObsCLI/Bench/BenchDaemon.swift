import Foundation

/// The daemon under benchmark: this same `obs` binary started as `obs serve` in a child
/// process, so its memory and CPU are measured apart from the load generator's.
/// (`Process` is not Sendable; the benchmark only touches it from one task at a time.)
final class BenchDaemon: @unchecked Sendable {
    let process = Process()
    let httpPort: Int
    let udpPort: Int
    let dataDir: String

    /// `rules`: the daemon's `--rules` directory. Without it the daemon would load `./rules` of
    /// whatever directory the benchmark runs in (the repository's ships the shop's rules), so
    /// give every daemon one: `emptyRulesDirectory(in:)` when rules are not what is measured.
    init(dataDir: String, rules: String, extraArguments: [String] = []) throws(CLIError) {
        self.dataDir = dataDir
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = ["serve", "--data-dir", dataDir, "--http", "127.0.0.1:0", "--udp", "127.0.0.1:0", "--rules", rules]
            + extraArguments
        let logPath = dataDir + ".log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        guard let log = FileHandle(forWritingAtPath: logPath) else { throw CLIError("cannot write \(logPath)") }
        process.standardError = log
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { throw CLIError("cannot start obs serve: \(error)") }
        var ports: (Int, Int)?
        for _ in 0..<600 {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("obs listening http=") }) {
                let http = line.components(separatedBy: "http=").last?.split(separator: " ").first?.split(separator: ":").last
                let udp = line.components(separatedBy: "udp=").last?.split(separator: " ").first?.split(separator: ":").last
                if let http = http.flatMap({ Int($0) }), let udp = udp.flatMap({ Int($0) }) { ports = (http, udp) }
                break
            }
            if !process.isRunning { break }
            usleep(50_000)
        }
        guard let ports else {
            process.terminate()
            throw CLIError("obs serve did not start; see \(logPath)")
        }
        httpPort = ports.0
        udpPort = ports.1
    }

    /// A rules directory with no rule files in `workDirectory`, for a daemon that should evaluate nothing.
    static func emptyRulesDirectory(in workDirectory: String) throws(CLIError) -> String {
        let path = workDirectory + "/no-rules"
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CLIError("cannot create \(path): \(error)")
        }
        return path
    }

    /// Peak resident set size so far (VmHWM), in bytes.
    var peakResidentBytes: Int {
        ProcessMemory.peakResidentBytes(of: process.processIdentifier)
    }

    /// The last lines the daemon logged, to explain a failure.
    func logTail(lines: Int = 5) -> String {
        let text = (try? String(contentsOfFile: dataDir + ".log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    func stop() -> Int32 {
        process.interrupt()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
