/// PROVISIONAL median/MAD detector (replaced by the measured one).
public struct AnomalyDetector: Sendable, Equatable {
    public let parameters: AnomalyParameters
    var samples: [Int64: Double] = [:]

    public init(parameters: AnomalyParameters) {
        self.parameters = parameters
    }

    public mutating func observe(_ value: Double?, at time: Int64) {
        samples = samples.filter { $0.key > time - parameters.lookbackSeconds }
        if let value, value.isFinite { samples[time] = value } else { samples[time] = nil }
    }

    public func score(_ value: Double?, at time: Int64) -> Double? {
        guard let value, value.isFinite else { return nil }
        let window = samples.filter { $0.key < time && $0.key >= time - parameters.baselineSeconds }.map(\.value).sorted()
        guard let first = samples.keys.filter({ $0 < time && $0 >= time - parameters.lookbackSeconds }).min(),
              first <= time - parameters.minHistorySeconds + AnomalyParameters.sampleStep, !window.isEmpty else { return nil }
        let median = window[window.count / 2]
        let deviations = window.map { abs($0 - median) }.sorted()
        let scale = max(1.4826 * deviations[deviations.count / 2], 1e-9, abs(median) * 0.01)
        let z = (value - median) / scale
        switch parameters.direction {
        case .up: return min(1000, max(0, z))
        case .down: return min(1000, max(0, -z))
        case .both: return min(1000, abs(z))
        }
    }

    public func isEmpty(at time: Int64) -> Bool {
        !samples.keys.contains { $0 >= time - parameters.lookbackSeconds }
    }

    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = [1]
        for (time, value) in samples.sorted(by: { $0.key < $1.key }) {
            withUnsafeBytes(of: time.littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    public init(decoding bytes: [UInt8], parameters: AnomalyParameters) throws(AnomalyStateDecodingError) {
        guard bytes.first == 1, (bytes.count - 1) % 16 == 0 else { throw AnomalyStateDecodingError(reason: "bad length") }
        self.parameters = parameters
        var index = 1
        func read() -> UInt64 {
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(bytes[index + i]) << (8 * UInt64(i)) }
            index += 8
            return v
        }
        while index < bytes.count {
            let time = Int64(bitPattern: read())
            samples[time] = Double(bitPattern: read())
        }
    }
}

public struct AnomalyStateDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
