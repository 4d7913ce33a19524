/// Resident set sizes of a process, from /proc.
enum ProcessMemory {
    /// Peak resident set size (VmHWM) in bytes; 0 when /proc cannot tell. `pid` nil means this process.
    static func peakResidentBytes(of pid: Int32? = nil) -> Int {
        statusBytes("VmHWM", of: pid)
    }

    /// Current resident set size (VmRSS) in bytes; 0 when /proc cannot tell.
    static func currentResidentBytes(of pid: Int32? = nil) -> Int {
        statusBytes("VmRSS", of: pid)
    }

    private static func statusBytes(_ field: String, of pid: Int32?) -> Int {
        let path = "/proc/\(pid.map(String.init) ?? "self")/status"
        guard let status = try? String(contentsOfFile: path, encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return kilobytes * 1024
    }
}
