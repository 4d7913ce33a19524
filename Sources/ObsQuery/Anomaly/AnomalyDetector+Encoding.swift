/// Layout (little-endian), version 1:
///   u8 version | i64 baseline | u8 season | u8 direction | i64 min_history
///   then the fine ring and the seasonal ring, each:
///   u32 capacity | u8 hasNewest | i64 newestIndex | presence bitmap (⌈capacity/8⌉ bytes)
///   | u64 bit pattern of each present value, in slot order.
/// Absent slots cost one bit, so a sparse or young series stays small; values round-trip exactly.
extension AnomalyDetector {
    static let encodingVersion: UInt8 = 1

    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32 + (fine.capacity + seasonal.capacity) * 9)
        out.append(Self.encodingVersion)
        out.appendLE(UInt64(bitPattern: parameters.baselineSeconds))
        out.append(Self.code(parameters.season))
        out.append(Self.code(parameters.direction))
        out.appendLE(UInt64(bitPattern: parameters.minHistorySeconds))
        Self.encode(fine, into: &out)
        Self.encode(seasonal, into: &out)
        return out
    }

    public init(decoding bytes: [UInt8], parameters: AnomalyParameters) throws(AnomalyStateDecodingError) {
        var reader = ByteReader(bytes: bytes)
        let version = try reader.u8()
        guard version == Self.encodingVersion else { throw .unsupportedVersion(version) }
        let baseline = Int64(bitPattern: try reader.u64())
        let season = try reader.u8()
        let direction = try reader.u8()
        let minHistory = Int64(bitPattern: try reader.u64())
        guard baseline == parameters.baselineSeconds, season == Self.code(parameters.season),
            direction == Self.code(parameters.direction), minHistory == parameters.minHistorySeconds
        else { throw .parameterMismatch }
        self.init(parameters: parameters)
        fine = try Self.decodeRing(&reader, capacity: parameters.fineCapacity)
        seasonal = try Self.decodeRing(&reader, capacity: parameters.seasonalCapacity)
        guard reader.atEnd else { throw .trailingBytes }
    }

    private static func code(_ s: AnomalyParameters.Season) -> UInt8 {
        switch s {
        case .none: 0
        case .day: 1
        case .week: 2
        }
    }

    private static func code(_ d: AnomalyParameters.Direction) -> UInt8 {
        switch d {
        case .up: 0
        case .down: 1
        case .both: 2
        }
    }

    private static func encode(_ ring: AnomalyTimeRing, into out: inout [UInt8]) {
        out.appendLE(UInt32(ring.capacity))
        out.append(ring.newestIndex == nil ? 0 : 1)
        out.appendLE(UInt64(bitPattern: ring.newestIndex ?? 0))
        var bitmap = [UInt8](repeating: 0, count: (ring.capacity + 7) / 8)
        for (i, v) in ring.values.enumerated() where !v.isNaN { bitmap[i >> 3] |= 1 << UInt8(i & 7) }
        out.append(contentsOf: bitmap)
        for v in ring.values where !v.isNaN { out.appendLE(v.bitPattern) }
    }

    private static func decodeRing(_ r: inout ByteReader, capacity: Int) throws(AnomalyStateDecodingError) -> AnomalyTimeRing {
        let stored = try r.u32()
        guard Int(stored) == capacity else { throw .capacityMismatch }
        let hasNewest = try r.u8()
        guard hasNewest <= 1 else { throw .invalidValue }
        let newest = Int64(bitPattern: try r.u64())
        let bitmap = Array(try r.bytes((capacity + 7) / 8))
        var values = [Double](repeating: .nan, count: capacity)
        for i in 0..<capacity where bitmap[i >> 3] & (1 << UInt8(i & 7)) != 0 {
            let v = Double(bitPattern: try r.u64())
            guard v.isFinite, hasNewest == 1 else { throw .invalidValue }
            values[i] = v
        }
        // Bits beyond capacity in the last bitmap byte must be clear, so one state has one encoding.
        if capacity % 8 != 0, let last = bitmap.last, last >> UInt8(capacity % 8) != 0 { throw .invalidValue }
        return AnomalyTimeRing(values: values, newestIndex: hasNewest == 1 ? newest : nil)
    }
}

private struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    var atEnd: Bool { offset == bytes.count }

    mutating func u8() throws(AnomalyStateDecodingError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u32() throws(AnomalyStateDecodingError) -> UInt32 {
        guard bytes.count - offset >= 4 else { throw .truncated }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[offset + i]) << (8 * UInt32(i)) }
        offset += 4
        return v
    }

    mutating func u64() throws(AnomalyStateDecodingError) -> UInt64 {
        guard bytes.count - offset >= 8 else { throw .truncated }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        offset += 8
        return v
    }

    mutating func bytes(_ n: Int) throws(AnomalyStateDecodingError) -> ArraySlice<UInt8> {
        guard n >= 0, bytes.count - offset >= n else { throw .truncated }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }
}

extension [UInt8] {
    fileprivate mutating func appendLE(_ v: UInt64) {
        for i in 0..<8 { append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }

    fileprivate mutating func appendLE(_ v: UInt32) {
        for i in 0..<4 { append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
    }
}
