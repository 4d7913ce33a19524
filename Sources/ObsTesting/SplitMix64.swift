import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast, seedable generator, so that every run
/// of a randomised test checks exactly the same samples.
public struct SplitMix64: Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// Uniform in 0..<bound (0 for a bound below 1).
    public mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(max(bound, 1)))
    }

    /// Uniform in the open interval (0, 1), so `log` of it is always finite.
    public mutating func nextUnitInterval() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    /// Box–Muller: one standard normal variate from two uniform ones.
    public mutating func nextStandardNormal() -> Double {
        let radius = (-2 * log(nextUnitInterval())).squareRoot()
        return radius * cos(2 * Double.pi * nextUnitInterval())
    }
}
