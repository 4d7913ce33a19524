import Foundation

/// gzip through the system's `gzip` tool, so tests compress with an independent implementation.
public enum Gzip {
    public static func compress(_ data: Data) throws -> Data {
        let directory = try TemporaryDirectory("obs-gzip")
        defer { directory.remove() }
        let input = directory.file("input")
        try data.write(to: URL(fileURLWithPath: input))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -c \"$0\"", input]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let compressed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return compressed
    }
}
