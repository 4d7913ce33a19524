import ObsCore

extension QueryEvaluator {
    /// Instants of the scored expression evaluated per query while catching up or
    /// rebuilding: bounds the rollups loaded at once.
    static let anomalyChunkSize = 720

    /// `anomaly(EXPR, …)` at `times`: per series of EXPR, its score at each time against the
    /// samples of EXPR on the 10 s grid before that time.
    ///
    /// The samples come from the evaluator's `AnomalyMemory` where it has them (a rule's
    /// previous evaluations) and are evaluated from the rollups otherwise — the ones since the
    /// memory's last sample, or the whole lookback when there is no usable state. Both give
    /// the same scores, because a score depends only on the samples of its lookback: that is
    /// what makes a backtest, a restarted daemon and a live one agree.
    func anomaly(_ call: FunctionCall, grouping: [String]?, at times: [Timestamp]) async throws(QueryError) -> Value {
        if let grouping, !grouping.isEmpty {
            throw QueryError(at: call.position, "by (…) goes inside anomaly(…), e.g. anomaly(p95(latency[1m]) by (service))")
        }
        let parsed = try AnomalyCall(call)
        let memory = anomalies ?? AnomalyMemory()
        var state = memory.take(parsed)
        let parameters = parsed.parameters
        let step = AnomalyParameters.sampleStep

        // Scoring times in order, in whole seconds rounded up: a sample at grid time p is
        // before t exactly when p < ⌈t⌉.
        let order = times.indices.sorted { times[$0] < times[$1] }
        let scoringSeconds = order.map { times[$0].unixSecondsRoundedUp }
        guard let firstScoring = scoringSeconds.first else { return .series([]) }
        if parameters.needsRebuild(fedThrough: state.fedThrough, firstScoringTime: firstScoring) {
            state.detectors = [:]
            state.fedThrough = nil
        }
        let samples = parameters.sampleTimes(after: state.fedThrough, scoring: scoringSeconds)

        // One timeline of instants: samples to observe and times to score; a scoring time
        // on the grid is also observed (the next evaluation needs it).
        var instants: [AnomalyInstant] = []
        instants.reserveCapacity(samples.count + times.count)
        var nextSample = 0
        var lastFed = state.fedThrough ?? Int64.min
        for (position, index) in order.enumerated() {
            let time = times[index]
            while nextSample < samples.count, samples[nextSample] * 1_000_000_000 < time.nanoseconds {
                instants.append(AnomalyInstant(time: Timestamp(nanoseconds: samples[nextSample] * 1_000_000_000), sample: samples[nextSample]))
                lastFed = samples[nextSample]
                nextSample += 1
            }
            var instant = AnomalyInstant(time: time, sample: nil, scoring: [index])
            if let previous = instants.last, previous.time == time {
                instants[instants.count - 1].scoring.append(index)
                continue
            }
            let seconds = scoringSeconds[position]
            if nextSample < samples.count, samples[nextSample] * 1_000_000_000 == time.nanoseconds {
                instant.sample = samples[nextSample]
                nextSample += 1
            } else if time.nanoseconds % (step * 1_000_000_000) == 0, seconds > lastFed {
                instant.sample = seconds
            }
            if let sample = instant.sample { lastFed = sample }
            instants.append(instant)
        }

        var scores: [[String: String]: [Double?]] = [:]
        var chunkStart = 0
        while chunkStart < instants.count {
            let chunk = instants[chunkStart..<min(chunkStart + Self.anomalyChunkSize, instants.count)]
            chunkStart += chunk.count
            let series: [EvaluatedSeries]
            switch try await evaluate(parsed.operand, at: chunk.map(\.time)) {
            case .scalar:
                throw QueryError(at: parsed.operand.position, "anomaly needs series to score, not a number")
            case .series(let evaluated):
                series = evaluated
            }
            for one in series {
                var detector = state.detectors[one.labels]
                for (offset, instant) in chunk.enumerated() {
                    let value = one.values[offset]
                    if !instant.scoring.isEmpty, let detector, let score = detector.score(value, at: instant.time.unixSecondsRoundedUp) {
                        for index in instant.scoring {
                            scores[one.labels, default: Array(repeating: nil, count: times.count)][index] = score
                        }
                    }
                    if let sample = instant.sample, let value, value.isFinite {
                        if detector == nil { detector = AnomalyDetector(parameters: parameters) }
                        detector?.observe(value, at: sample)
                    }
                }
                state.detectors[one.labels] = detector
            }
        }
        if let fed = instants.last(where: { $0.sample != nil })?.sample {
            state.fedThrough = fed
            state.detectors = state.detectors.filter { !$0.value.isEmpty(at: fed) }
        }
        memory.put(parsed.key, state)
        return .series(scores.map { EvaluatedSeries(labels: $0.key, values: $0.value) })
    }
}

/// One instant of an anomaly evaluation: a grid sample to observe, times to score, or both.
struct AnomalyInstant {
    var time: Timestamp
    /// The grid time (unix seconds) to observe the value as.
    var sample: Int64?
    /// Indices into the evaluation's times scored at this instant.
    var scoring: [Int] = []
}
