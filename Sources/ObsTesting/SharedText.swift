import Foundation
import Synchronization

/// Text a child process writes, collected as it arrives (read from any thread).
final class SharedText: Sendable {
    private let text = Mutex("")

    var value: String { text.withLock { $0 } }

    func append(_ more: String) { text.withLock { $0 += more } }

    /// Sends `process`'s stderr here and its stdout nowhere; call before `run()`.
    static func collectingStandardError(of process: Process) -> SharedText {
        let collected = SharedText()
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        stderr.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil; return }
            collected.append(String(decoding: data, as: UTF8.self))
        }
        return collected
    }
}
