/// A size in bytes written as `8MiB`, `512KiB`, `1GB`, `64k` or a bare number of bytes.
/// Single-letter suffixes (`k`, `M`, `G`) are binary, as in Docker and Kubernetes limits.
public enum ByteSize {
    public static func bytes(_ text: some StringProtocol) -> Int? {
        let trimmed = text.trimmingSpaces
        let numberEnd = trimmed.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? trimmed.endIndex
        guard let value = Double(trimmed[..<numberEnd]), value >= 0 else { return nil }
        let multiplier: Double
        switch trimmed[numberEnd...].trimmingSpaces.lowercased() {
        case "", "b": multiplier = 1
        case "kb": multiplier = 1e3
        case "mb": multiplier = 1e6
        case "gb": multiplier = 1e9
        case "k", "kib": multiplier = 1024
        case "m", "mib": multiplier = 1024 * 1024
        case "g", "gib": multiplier = 1024 * 1024 * 1024
        default: return nil
        }
        let result = value * multiplier
        guard result < 9e18 else { return nil }
        return Int(result.rounded())
    }
}

extension StringProtocol {
    var trimmingSpaces: Substring {
        let scalars = self[...]
        guard let first = scalars.firstIndex(where: { $0 != " " }),
              let last = scalars.lastIndex(where: { $0 != " " }) else { return "" }
        return Substring(scalars[first...last])
    }
}
