import ObsCore
import ObsQuery
import ObsRules

/// Prints a backtest: episodes and a summary per rule as tables, as one JSON object
/// (`{"episodes":[…],"summary":[…]}`), or as NDJSON (one episode per line).
public enum BacktestPrinter {
    public static func render(_ report: BacktestReport, as format: OutputFormat) -> String {
        switch format {
        case .json: return json(report).string + "\n"
        case .ndjson:
            return report.episodes.map { episode in
                var json = JSONWriter()
                write(episode, until: report.until, into: &json)
                return json.string + "\n"
            }.joined()
        case .table, .csv: return table(report)
        }
    }

    static func json(_ report: BacktestReport) -> JSONWriter {
        var json = JSONWriter(capacity: 1024 + report.episodes.count * 256)
        json.beginObject()
        json.key("since"); json.string(report.since.rfc3339)
        json.key("until"); json.string(report.until.rfc3339)
        json.key("episodes"); json.beginArray()
        for episode in report.episodes { write(episode, until: report.until, into: &json) }
        json.endArray()
        json.key("summary"); json.beginArray()
        for rule in report.summary {
            json.beginObject()
            json.key("group"); json.string(rule.group)
            json.key("alertname"); json.string(rule.alertname)
            json.key("evaluations"); json.int(rule.evaluations)
            json.key("episodes"); json.int(rule.episodes)
            json.key("pending_only"); json.int(rule.pendingOnly)
            json.key("firing_s"); json.double(rule.firingSeconds)
            json.key("failed_evaluations"); json.int(rule.failedEvaluations)
            json.key("last_error"); json.string(rule.lastError)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json
    }

    static func write(_ episode: AlertEpisode, until: Timestamp, into json: inout JSONWriter) {
        json.beginObject()
        json.key("alertname"); json.string(episode.alertname)
        json.key("group"); json.string(episode.group)
        json.key("labels"); json.beginObject()
        for (name, value) in episode.labels.sorted(by: { $0.key < $1.key }) { json.key(name); json.string(value) }
        json.endObject()
        json.key("pending_at"); json.string(episode.pendingAt?.rfc3339)
        json.key("firing_at"); json.string(episode.firingAt?.rfc3339)
        json.key("resolved_at"); json.string(episode.resolvedAt?.rfc3339)
        json.key("duration_s"); json.double(episode.firingSeconds(until: until))
        json.key("peak_value")
        if let peak = episode.peakValue { json.double(peak) } else { json.null() }
        json.endObject()
    }

    static func table(_ report: BacktestReport) -> String {
        var text = ""
        if report.episodes.isEmpty {
            text += "no alert would have fired between \(report.since) and \(report.until)\n"
        } else {
            var rows = [["ALERT", "LABELS", "PENDING", "FIRING", "RESOLVED", "FIRING FOR", "PEAK"]]
            for episode in report.episodes {
                rows.append([
                    episode.alertname, AlertQueryClient.labelText(episode.labels), episode.pendingAt.map(short) ?? "-",
                    episode.firingAt.map(short) ?? "-", episode.resolvedAt.map(short) ?? (episode.firingAt == nil ? "-" : "(active)"),
                    duration(episode.firingSeconds(until: report.until)), episode.peakValue.map(QueryResultPrinter.number) ?? "-",
                ])
            }
            text += QueryResultPrinter.aligned(rows)
        }
        text += "\n"
        var rows = [["GROUP", "RULE", "EVALUATIONS", "EPISODES", "PENDING ONLY", "TIME FIRING", "FAILED"]]
        for rule in report.summary {
            rows.append([rule.group, rule.alertname, String(rule.evaluations), String(rule.episodes), String(rule.pendingOnly),
                         duration(rule.firingSeconds), rule.failedEvaluations == 0 ? "0" : "\(rule.failedEvaluations): \(rule.lastError ?? "")"])
        }
        return text + QueryResultPrinter.aligned(rows)
    }

    static func short(_ time: Timestamp) -> String { AlertQueryClient.shortTime(time.rfc3339) }

    /// `0s`, `45s`, `12m30s`, `3h5m`: whole seconds.
    static func duration(_ seconds: Double) -> String {
        DurationText.text(.seconds(Int64(seconds.rounded())))
    }
}
