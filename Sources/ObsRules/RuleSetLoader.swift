import ObsAggregate
import ObsCore
import ObsQuery
import ObsStorage

/// Loads rule files and checks everything a rule can get wrong before it runs: the file
/// structure (`RuleFileLoader`), each expression through the real parser and a dry
/// evaluation over an empty store (which catches what only evaluation knows: functions of
/// the wrong metric, labels that cannot be grouped by, plain numbers), and each template.
/// Every problem of every file is reported, each at its key's line and column.
public enum RuleSetLoader {
    public static func load(paths: [String]) async -> Result<RuleSet, RuleCheckError> {
        let loaded = RuleFileLoader.load(paths: paths)
        let (rules, problems) = await compile(loaded.files)
        // In file order, then document order, whichever check found them.
        let fileOrder = Dictionary(loaded.files.enumerated().map { ($0.element.path, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let all = (loaded.problems + problems).enumerated().sorted { a, b in
            func key(_ item: (offset: Int, element: RuleProblem)) -> (Int, Int, Int, Int) {
                (fileOrder[item.element.file] ?? -1, item.element.location?.line ?? 0, item.element.location?.column ?? 0, item.offset)
            }
            return key(a) < key(b)
        }.map(\.element)
        return all.isEmpty ? .success(rules) : .failure(RuleCheckError(problems: all))
    }

    public static func compile(_ files: [RuleFileSpec]) async -> (rules: RuleSet, problems: [RuleProblem]) {
        var problems: [RuleProblem] = []
        var groups: [RuleGroup] = []
        // Every file's SLOs, so that a rule in one file can name an SLO of another.
        let slos = files.flatMap(\.slos)
        let dryRun = QueryEvaluator(source: RollupQuerySource(reader: EmptyRollupReader(), aggregator: nil),
                                    slos: SLOCatalog(slos.map(\.definition)))
        for file in files {
            for groupSpec in file.groups {
                var rules: [AlertingRule] = []
                let groupContext = "group \"\(groupSpec.name)\""
                var groupLabels: [(name: String, template: AlertTemplate)] = []
                for (name, text) in groupSpec.labels.sorted(by: { $0.key < $1.key }) {
                    if let template = template(text, name: name, kind: "label", at: groupSpec.location, context: groupContext, problems: &problems) {
                        groupLabels.append((name, template))
                    }
                }
                for spec in groupSpec.rules {
                    let context = "\(groupContext), rule \(spec.index) \"\(spec.alert)\""
                    var ruleProblems: [RuleProblem] = []
                    let expression: Expression?
                    do {
                        let parsed = try QueryParser.parse(spec.expr)
                        _ = try await dryRun.condition(parsed, at: [Self.dryRunTime])
                        expression = parsed
                    } catch {
                        ruleProblems.append(RuleProblem(location: spec.exprLocation, context: context, message: describe(error)))
                        expression = nil
                    }
                    var labels = groupLabels.filter { spec.labels[$0.name] == nil }
                    for (name, text) in spec.labels.sorted(by: { $0.key < $1.key }) {
                        let location = spec.labelLocations[name] ?? spec.location
                        guard let parsed = template(text, name: name, kind: "label", at: location, context: context, problems: &ruleProblems) else { continue }
                        if parsed.usesValue {
                            ruleProblems.append(RuleProblem(location: location, context: context, message:
                                "label \(name) uses $value: the alert's labels are its identity and would change at every evaluation; put the value in an annotation"))
                            continue
                        }
                        labels.append((name, parsed))
                    }
                    var annotations: [(name: String, template: AlertTemplate)] = []
                    for (name, text) in spec.annotations.sorted(by: { $0.key < $1.key }) {
                        let location = spec.annotationLocations[name] ?? spec.location
                        if let parsed = template(text, name: name, kind: "annotation", at: location, context: context, problems: &ruleProblems) {
                            annotations.append((name, parsed))
                        }
                    }
                    problems += ruleProblems
                    guard ruleProblems.isEmpty, let expression else { continue }
                    rules.append(AlertingRule(
                        group: groupSpec.name, name: spec.alert, query: spec.expr, expression: expression,
                        holdDuration: spec.for, keepFiringFor: spec.keepFiringFor, labels: labels, annotations: annotations
                    ))
                }
                groups.append(RuleGroup(name: groupSpec.name, file: file.path, interval: groupSpec.interval,
                                        queryOffset: groupSpec.queryOffset, rules: rules))
            }
            for slo in file.slos {
                let generated = burnRateGroups(of: slo, file: file.path)
                groups += generated.groups
                problems += generated.problems
            }
        }
        return (RuleSet(groups: groups, files: files.map(\.path), slos: slos), problems)
    }

    /// Any instant will do: the dry run's store is empty (2026-01-01T00:00:00Z).
    static let dryRunTime = Timestamp(nanoseconds: 1_767_225_600_000_000_000)

    private static func template(_ text: String, name: String, kind: String, at location: RuleLocation, context: String,
                                 problems: inout [RuleProblem]) -> AlertTemplate? {
        do {
            return try AlertTemplate(parsing: text)
        } catch {
            problems.append(RuleProblem(location: location, context: context, message: "\(kind) \(name): \(error)"))
            return nil
        }
    }

    /// A query error as one clause; its position inside the expression is kept when the
    /// error is not at the very start.
    private static func describe(_ error: QueryError) -> String {
        guard let position = error.position, position != SourcePosition(line: 1, column: 1) else { return error.message }
        return "expr \(position): \(error.message)"
    }
}

/// A store with nothing in it: the dry evaluation of `obs rules check`.
struct EmptyRollupReader: RollupReader {
    func series(kind: RollupSeriesKey.Kind, service: String?) async throws(StorageError) -> [(id: Int64, key: RollupSeriesKey)] { [] }

    func rows(in ranges: [RollupRange], series: Set<RollupSeriesKey>, withSketches: Bool) async throws(StorageError) -> RollupReadResult {
        RollupReadResult(rows: [], series: [:], generation: 0)
    }
}
