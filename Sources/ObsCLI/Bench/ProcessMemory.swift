/// Peak resident set size (VmHWM) of a process, from /proc.
enum ProcessMemory {
    /// In bytes; 0 when /proc cannot tell. `pid` nil means this process.
    static func peakResidentBytes(of pid: Int32? = nil) -> Int {
        let path = "/proc/\(pid.map(String.init) ?? "self")/status"
        guard let status = try? String(contentsOfFile: path, encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return kilobytes * 1024
    }
}
