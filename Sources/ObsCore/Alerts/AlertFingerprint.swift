/// An alert's identity: a hash of its labels (`alertname` included), stable across restarts
/// and releases — FNV-1a (64 bit) over the labels sorted by name, as 16 hex digits.
public enum AlertFingerprint {
    public static let alertnameLabel = "alertname"

    public static func of(_ labels: [String: String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String) {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            // A separator byte that UTF-8 text never contains keeps ("ab","c") apart from ("a","bc").
            hash ^= 0xff
            hash = hash &* 0x0000_0100_0000_01b3
        }
        for (name, value) in labels.sorted(by: { $0.key < $1.key }) {
            mix(name)
            mix(value)
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
