import Foundation

/// Where a benchmark run keeps its files: a fresh directory under the temp dir, named after
/// the benchmark and this process.
enum BenchDirectory {
    static func fresh(_ name: String) throws(CLIError) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid())").path
        try? FileManager.default.removeItem(atPath: path)
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CLIError("cannot create \(path): \(error)")
        }
        return path
    }
}
