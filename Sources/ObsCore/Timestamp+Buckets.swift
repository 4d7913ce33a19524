extension Int64 {
    /// The largest multiple of `multiple` (> 0) at or below this value — a floor, negatives
    /// included, where `%` alone would round toward zero.
    public func roundedDown(toMultipleOf multiple: Int64) -> Int64 {
        let remainder = self % multiple
        return remainder >= 0 ? self - remainder : self - remainder - multiple
    }

    /// The smallest multiple of `multiple` (> 0) at or above this value.
    public func roundedUp(toMultipleOf multiple: Int64) -> Int64 {
        let down = roundedDown(toMultipleOf: multiple)
        return down == self ? self : down + multiple
    }
}

extension Timestamp {
    /// Whole unix seconds at or before this instant: the second it falls in.
    public var unixSecondsRoundedDown: Int64 {
        nanoseconds.roundedDown(toMultipleOf: 1_000_000_000) / 1_000_000_000
    }

    /// Whole unix seconds at or after this instant.
    public var unixSecondsRoundedUp: Int64 {
        nanoseconds.roundedUp(toMultipleOf: 1_000_000_000) / 1_000_000_000
    }
}
