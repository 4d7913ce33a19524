import Foundation
import ObsTesting
import Testing

/// Runs `obs query logs … --format json` against a daemon (or `--db`) and returns the records.
func queryLogs(_ arguments: [String]) throws -> [[String: Any]] {
    let result = try ObsBinary.run(["query", "logs", "--format", "json"] + arguments)
    #expect(result.status == 0, "obs query logs failed: \(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    return object?["logs"] as? [[String: Any]] ?? []
}

func queryLogs(_ daemon: DaemonProcess, _ arguments: [String] = []) throws -> [[String: Any]] {
    try queryLogs(["--url", daemon.baseURL.absoluteString] + arguments)
}

func postLogs(_ daemon: DaemonProcess, _ body: String, headers: [String: String] = [:]) async throws -> HTTPClient.Reply {
    try await HTTPClient.post(daemon.baseURL.appendingPathComponent("ingest/logs"), body: Data(body.utf8), headers: headers)
}

/// Starts a daemon in a fresh temp dir; stops it and removes the dir afterwards.
func withDaemon<T>(extraArguments: [String] = [], _ body: (DaemonProcess, TemporaryDirectory) async throws -> T) async throws -> T {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let daemon = try await DaemonProcess.start(dataDir: directory.file("data"), extraArguments: extraArguments)
    do {
        let result = try await body(daemon, directory)
        try await daemon.stop()
        return result
    } catch {
        _ = try? await daemon.stop(signal: SIGKILL)
        throw error
    }
}

/// Polls until `condition` holds or the attempts run out; for effects that cross a socket
/// with no acknowledgement (UDP). Returns whether it held.
func eventually(attempts: Int = 200, _ condition: () throws -> Bool) async throws -> Bool {
    for _ in 0..<attempts {
        if try condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try condition()
}

func metricValue(_ text: String, _ series: String) -> Double? {
    for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
        return Double(line.dropFirst(series.count + 1))
    }
    return nil
}
