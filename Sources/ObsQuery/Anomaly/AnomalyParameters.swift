/// PROVISIONAL (replaced by the measured detector).
public struct AnomalyParameters: Sendable, Hashable {
    public enum Season: String, Sendable { case none, day = "1d", week = "1w" }
    public enum Direction: String, Sendable { case up, down, both }
    public var baselineSeconds: Int64
    public var season: Season
    public var direction: Direction
    public var minHistorySeconds: Int64
    public static let sampleStep: Int64 = 10

    public init(baselineSeconds: Int64 = 3600, season: Season = .none, direction: Direction = .up, minHistorySeconds: Int64? = nil) {
        self.baselineSeconds = baselineSeconds
        self.season = season
        self.direction = direction
        self.minHistorySeconds = minHistorySeconds ?? baselineSeconds
    }

    public var lookbackSeconds: Int64 { max(baselineSeconds, minHistorySeconds) }

    public func needsRebuild(fedThrough: Int64?, firstScoringTime: Int64) -> Bool {
        guard let fedThrough else { return true }
        return fedThrough < firstScoringTime - lookbackSeconds
    }

    public func sampleTimes(after fedThrough: Int64?, scoring times: [Int64]) -> [Int64] {
        guard let first = times.first, let last = times.last else { return [] }
        let step = Self.sampleStep
        var start: Int64
        if needsRebuild(fedThrough: fedThrough, firstScoringTime: first) {
            start = first - lookbackSeconds
        } else {
            start = fedThrough! + step
        }
        start = (start + step - 1).floorDiv(step) * step
        var result: [Int64] = []
        var time = start
        while time < last {
            result.append(time)
            time += step
        }
        return result
    }
}

extension Int64 {
    fileprivate func floorDiv(_ d: Int64) -> Int64 { self >= 0 ? self / d : -((-self + d - 1) / d) }
}
