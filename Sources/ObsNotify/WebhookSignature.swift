import Crypto

/// Signs webhook bodies so a receiver can tell obs's requests from forged or replayed ones.
///
/// The MAC covers `"<timestamp>.<body>"`: binding the time into it means a captured request
/// cannot be replayed later with a fresh `X-Obs-Timestamp`, and the receiver's freshness check
/// bounds how long a captured one stays valid.
public enum WebhookSignature {
    public static let timestampHeader = "X-Obs-Timestamp"
    public static let signatureHeader = "X-Obs-Signature"
    static let scheme = "sha256="
    /// How far a receiver should accept the timestamp from its own clock, either way.
    public static let defaultTolerance: Int64 = 300

    /// The two headers to send with `body`; `timestamp` is Unix seconds at sending time.
    public static func headers(body: [UInt8], secret: [UInt8], timestamp: Int64) -> [(String, String)] {
        [(timestampHeader, String(timestamp)), (signatureHeader, signature(body: body, secret: secret, timestamp: timestamp))]
    }

    public static func headers(body: [UInt8], secret: String, timestamp: Int64) -> [(String, String)] {
        headers(body: body, secret: Array(secret.utf8), timestamp: timestamp)
    }

    /// `sha256=<lowercase hex HMAC-SHA256>` of `"<timestamp>.<body>"`.
    public static func signature(body: [UInt8], secret: [UInt8], timestamp: Int64) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: signedBytes(body: body, timestamp: String(timestamp)), using: SymmetricKey(data: secret))
        return scheme + Hex.lowercase(mac)
    }

    /// Checks the header values a request came with: the signature matches (compared in
    /// constant time, so response timing reveals nothing about the expected value) and the
    /// timestamp is within `tolerance` seconds of `now`.
    public static func verify(body: [UInt8], secret: [UInt8], timestamp: String, signature: String,
                              now: Int64, tolerance: Int64 = defaultTolerance) -> Bool {
        // Digits only: `Int64("+5")` would accept a header whose signed text differs from ours.
        guard !timestamp.isEmpty, timestamp.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let seconds = Int64(timestamp) else { return false }
        let (age, overflow) = now.subtractingReportingOverflow(seconds)
        guard !overflow, age.magnitude <= tolerance.magnitude else { return false }
        guard signature.hasPrefix(scheme), let mac = Hex.decode(signature.dropFirst(scheme.count)),
              mac.count == SHA256.byteCount else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signedBytes(body: body, timestamp: timestamp),
                                                      using: SymmetricKey(data: secret))
    }

    public static func verify(body: [UInt8], secret: String, timestamp: String, signature: String,
                              now: Int64, tolerance: Int64 = defaultTolerance) -> Bool {
        verify(body: body, secret: Array(secret.utf8), timestamp: timestamp, signature: signature, now: now, tolerance: tolerance)
    }

    private static func signedBytes(body: [UInt8], timestamp: String) -> [UInt8] {
        var bytes = Array(timestamp.utf8)
        bytes.reserveCapacity(bytes.count + 1 + body.count)
        bytes.append(UInt8(ascii: "."))
        bytes.append(contentsOf: body)
        return bytes
    }
}
