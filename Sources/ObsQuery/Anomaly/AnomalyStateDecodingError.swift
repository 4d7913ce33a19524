/// Why persisted detector state was rejected; callers treat any of these as "rebuild".
public enum AnomalyStateDecodingError: Error, Sendable, Hashable {
    case truncated
    case unsupportedVersion(UInt8)
    /// The state was written for different `anomaly(...)` arguments.
    case parameterMismatch
    case capacityMismatch
    /// A stored sample was not finite, or a field held an impossible value.
    case invalidValue
    case trailingBytes
}
