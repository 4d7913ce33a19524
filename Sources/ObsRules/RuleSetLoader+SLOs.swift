import ObsCore
import ObsQuery

extension RuleSetLoader {
    /// The alert name of every generated burn-rate rule.
    public static let burnRateAlertName = "SLOBurnRate"
    /// How often the generated groups are evaluated: a 5 m short window moves by 10 s buckets,
    /// and paging within 30 s of a 14.4× burn is well inside the 2 % of budget it spends
    /// per hour; 30 s keeps sixty 30-day windows a minute per SLO off the store.
    public static let burnRateInterval: Duration = .seconds(30)

    /// One group per burn-rate alert of the SLO, named `slo:NAME:LONG:SHORT`: a rule is
    /// identified by (group, alert name), and every one of them is `SLOBurnRate`. Each fires
    /// when the budget burns at least `factor` times too fast over both windows.
    static func burnRateGroups(of slo: SLOSpec, file: String) -> (groups: [RuleGroup], problems: [RuleProblem]) {
        var groups: [RuleGroup] = []
        var problems: [RuleProblem] = []
        let context = "slo \"\(slo.name)\""
        for alert in slo.burnRateAlerts {
            let long = DurationText.text(alert.longWindow)
            let short = DurationText.text(alert.shortWindow)
            let factor = Expression.format(alert.factor)
            let name = Expression.quote(slo.name)
            let query = "burn_rate(slo=\(name), window=\(long)) > \(factor) and burn_rate(slo=\(name), window=\(short)) > \(factor)"
            let window = DurationText.text(slo.window)
            let budgetShare = alert.factor * Double(alert.longWindow.totalNanoseconds) / Double(slo.window.totalNanoseconds)
            let labelTexts = [
                ("slo", slo.name), ("service", slo.service), ("severity", alert.severity),
                ("long_window", long), ("short_window", short),
            ]
            let annotationTexts = [
                ("summary", "SLO \(slo.name): the error budget burns {{ $value }}× too fast over \(long) (and \(short))"),
                ("description",
                 "\(slo.name) (\(slo.service), \(percent(slo.objective)) of requests good over \(window)) burns its error budget at "
                    + "{{ $value }}× the sustainable rate over the last \(long), and above \(factor)× over the last \(short) too. "
                    + "At \(factor)× the \(window) budget lasts \(DurationText.text(.seconds(Int64(Double(slo.window.totalNanoseconds) / 1e9 / alert.factor)))); "
                    + "\(long) at this rate spends \(percent(budgetShare)) of it."),
            ]
            do {
                let expression = try QueryParser.parse(query)
                let labels = try labelTexts.map { ($0.0, try AlertTemplate(parsing: $0.1)) }
                let annotations = try annotationTexts.map { ($0.0, try AlertTemplate(parsing: $0.1)) }
                let group = "slo:\(slo.name):\(long):\(short)"
                let rule = AlertingRule(group: group, name: burnRateAlertName, query: query, expression: expression,
                                        holdDuration: alert.hold, labels: labels, annotations: annotations)
                groups.append(RuleGroup(name: group, file: file, interval: burnRateInterval, rules: [rule]))
            } catch {
                problems.append(RuleProblem(location: slo.location, context: context, message: "its burn-rate alert cannot be built: \(error)"))
            }
        }
        return (groups, problems)
    }

    /// `99.99%`, `2%`: the shortest text of a fraction as a percentage.
    private static func percent(_ fraction: Double) -> String {
        Expression.format((fraction * 100 * 1e6).rounded() / 1e6) + "%"
    }
}
