/// Order statistics on scratch buffers. Results depend only on the multiset of inputs (never
/// on pivot choices), which is what keeps rebuilt detectors bit-identical to long-running ones.
@_spi(AnomalyBench) public enum AnomalyRobustStatistics {
    /// 1 / Φ⁻¹(0.75): makes MAD a consistent estimator of σ for Gaussian noise.
    public static let madToSigma = 1.482_602_218_505_602

    /// k-th smallest (0-based) of buf[0..<n]; reorders the buffer so that everything before
    /// index k is ≤ buf[k] and everything after is ≥ buf[k].
    ///
    /// Branch-free three-way Lomuto partitioning: on noisy data the comparisons are unpredictable,
    /// and mispredictions, not comparisons, dominate a classic Hoare quickselect; the second
    /// (equal-to-pivot) pass keeps flat series with many identical values linear.
    public static func select(_ buf: UnsafeMutablePointer<Double>, _ n: Int, _ k: Int) -> Double {
        var lo = 0
        var hi = n - 1
        while true {
            if hi - lo < 16 {
                var i = lo + 1
                while i <= hi {
                    let v = buf[i]
                    var j = i - 1
                    while j >= lo && buf[j] > v {
                        buf[j + 1] = buf[j]
                        j -= 1
                    }
                    buf[j + 1] = v
                    i += 1
                }
                return buf[k]
            }
            let a = buf[lo], b = buf[lo + (hi - lo) / 2], c = buf[hi]
            let pivot = max(min(a, b), min(max(a, b), c))
            var s = lo
            var r = lo
            while r <= hi {
                let x = buf[r]
                buf[r] = buf[s]
                buf[s] = x
                s &+= x < pivot ? 1 : 0
                r &+= 1
            }
            if k < s {
                hi = s - 1
                continue
            }
            var e = s
            r = s
            while r <= hi {
                let x = buf[r]
                buf[r] = buf[e]
                buf[e] = x
                e &+= x <= pivot ? 1 : 0
                r &+= 1
            }
            if k < e { return pivot }
            lo = e
        }
    }

    /// Median of buf[0..<n] (mean of the two middle values when n is even); reorders the buffer.
    public static func median(_ buf: UnsafeMutablePointer<Double>, _ n: Int) -> Double {
        precondition(n > 0)
        let upper = select(buf, n, n / 2)
        guard n % 2 == 0 else { return upper }
        // After selecting n/2, everything below it is ≤ it: the lower middle is their maximum.
        var lower = buf[0]
        for i in 1..<(n / 2) where buf[i] > lower { lower = buf[i] }
        return lower + (upper - lower) / 2
    }

    /// Linear-interpolated quantile (type 7) of buf[0..<n]; reorders the buffer.
    public static func quantile(_ buf: UnsafeMutablePointer<Double>, _ n: Int, _ p: Double) -> Double {
        precondition(n > 0)
        let pos = p * Double(n - 1)
        let k = Int(pos)
        let lowValue = select(buf, n, k)
        guard k + 1 < n else { return lowValue }
        var next = buf[k + 1]
        for i in (k + 2)..<max(k + 2, n) where buf[i] < next { next = buf[i] }
        return lowValue + (next - lowValue) * (pos - Double(k))
    }
}

