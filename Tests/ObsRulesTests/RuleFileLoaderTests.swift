import Foundation
import Testing
import ObsRules

private let file = "rules/a.yaml"

private func at(_ line: Int, _ column: Int, _ path: String = file) -> RuleLocation {
    RuleLocation(file: path, line: line, column: column)
}

/// The problems of `yaml` parsed as rules/a.yaml, as printed.
private func problems(_ yaml: String) -> [String] {
    RuleFileLoader.parse(yaml: yaml, file: file).problems.map(\.description)
}

/// Group "checkout" with rule 1 "Up" (line 4) and rule 2 "CheckoutLatencyHigh" (`alert:` at 6:9,
/// `expr:` at 7:9), followed by `extra` lines of rule 2 from line 8, column 9.
private func secondRule(_ extra: String...) -> String {
    """
    groups:
      - name: checkout
        rules:
          - alert: Up
            expr: up == 0
          - alert: CheckoutLatencyHigh
            expr: p95(latency) > 2s

    """ + extra.map { "        \($0)\n" }.joined()
}

private let rule2 = #"group "checkout", rule 2 "CheckoutLatencyHigh""#

/// SLO "checkout-latency" in block style (`name:` at 2:5), its keys on lines 3–6, then `extra` lines from line 7, column 5.
/// `omit` drops keys from the standard ones.
private func slo(omit: Set<String> = [], _ extra: String...) -> String {
    let standard = [
        ("service", "checkout"), ("objective", "95%"), ("sli", "latency"), ("threshold", "2s"),
    ].filter { !omit.contains($0.0) }
    var text = "slos:\n"
    text += omit.contains("name") ? "  - window: 30d\n" : "  - name: checkout-latency\n"
    for (key, value) in standard { text += "    \(key): \(value)\n" }
    for line in extra { text += "    \(line)\n" }
    return text
}

private let sloContext = #"slo "checkout-latency""#

/// A fresh directory for one test; removed by the caller.
private func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.path + "/obs-rules-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

private func write(_ text: String, to path: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

// MARK: - Valid files

@Test func validFileWithEverything() {
    let yaml = """
    groups:
      - name: checkout
        interval: 30s
        query_offset: 5s
        labels: {team: shop}
        rules:
          - alert: CheckoutLatencyHigh
            expr: p95(latency{service="checkout"}[5m]) > 2s
            for: 1m
            keep_firing_for: 2m
            labels: {severity: page}
            annotations: {summary: "checkout p95 is {{ $value }}"}
          - alert: CheckoutErrors
            expr: |
              sum(rate(errors{service="checkout"}[5m]))
                > 0.01
            labels:
              severity: ticket
              priority: 2
              paging: false
            annotations:
              runbook: https://example.com/runbook
      - name: payments
        rules: []
    slos:
      - {name: checkout-availability, service: checkout, objective: 99.99%, sli: errors, window: 30d}
      - {name: checkout-latency, service: checkout, objective: 0.95, sli: latency, threshold: 2s, window: 7d}

    """
    let result = RuleFileLoader.parse(yaml: yaml, file: file)
    #expect(result.problems == [])
    let latency = AlertingRuleSpec(
        alert: "CheckoutLatencyHigh",
        expr: #"p95(latency{service="checkout"}[5m]) > 2s"#,
        for: .seconds(60),
        keepFiringFor: .seconds(120),
        labels: ["severity": "page"],
        annotations: ["summary": "checkout p95 is {{ $value }}"],
        index: 1,
        location: at(7, 9),
        exprLocation: at(8, 9),
        labelLocations: ["severity": at(11, 18)],
        annotationLocations: ["summary": at(12, 23)]
    )
    let errors = AlertingRuleSpec(
        alert: "CheckoutErrors",
        expr: "sum(rate(errors{service=\"checkout\"}[5m]))\n  > 0.01\n",
        for: .zero,
        keepFiringFor: .zero,
        labels: ["severity": "ticket", "priority": "2", "paging": "false"],
        annotations: ["runbook": "https://example.com/runbook"],
        index: 2,
        location: at(13, 9),
        exprLocation: at(14, 9),
        labelLocations: ["severity": at(18, 11), "priority": at(19, 11), "paging": at(20, 11)],
        annotationLocations: ["runbook": at(22, 11)]
    )
    let expected = RuleFileSpec(
        path: file,
        groups: [
            RuleGroupSpec(
                name: "checkout", interval: .seconds(30), queryOffset: .seconds(5),
                labels: ["team": "shop"], rules: [latency, errors], location: at(2, 5)
            ),
            RuleGroupSpec(
                name: "payments", interval: .seconds(10), queryOffset: .zero,
                labels: [:], rules: [], location: at(23, 5)
            ),
        ],
        slos: [
            SLOSpec(
                name: "checkout-availability", service: "checkout", objective: 0.9999, sli: .errors,
                threshold: nil, window: .seconds(30 * 86_400), location: at(26, 6)
            ),
            SLOSpec(
                name: "checkout-latency", service: "checkout", objective: 0.95, sli: .latency,
                threshold: .seconds(2), window: .seconds(7 * 86_400), location: at(27, 6)
            ),
        ]
    )
    #expect(result.file.groups.first?.rules.first == latency)
    #expect(result.file.groups.first?.rules.last == errors)
    #expect(result.file == expected)
}

@Test func defaults() {
    let yaml = """
    groups:
      - name: checkout
        labels:
        rules:
          - alert: Up
            expr: up == 0
      - name: empty
    slos:
      - name: availability
        service: checkout
        objective: 99.9%
        sli: errors

    """
    let result = RuleFileLoader.parse(yaml: yaml, file: file)
    #expect(result.problems == [])
    #expect(result.file == RuleFileSpec(
        path: file,
        groups: [
            RuleGroupSpec(
                name: "checkout", interval: .seconds(10), queryOffset: .zero, labels: [:],
                rules: [AlertingRuleSpec(
                    alert: "Up", expr: "up == 0", for: .zero, keepFiringFor: .zero,
                    labels: [:], annotations: [:], index: 1, location: at(5, 9), exprLocation: at(6, 9),
                    labelLocations: [:], annotationLocations: [:]
                )],
                location: at(2, 5)
            ),
            RuleGroupSpec(name: "empty", interval: .seconds(10), queryOffset: .zero, labels: [:], rules: [], location: at(7, 5)),
        ],
        slos: [SLOSpec(
            name: "availability", service: "checkout", objective: 0.999, sli: .errors,
            threshold: nil, window: .seconds(2_592_000), location: at(9, 5)
        )]
    ))
}

@Test func emptyAndCommentOnlyFilesHaveNoGroups() {
    for yaml in ["", "# nothing yet\n", "groups:\nslos:\n"] {
        let result = RuleFileLoader.parse(yaml: yaml, file: file)
        #expect(result.problems == [])
        #expect(result.file == RuleFileSpec(path: file, groups: [], slos: []))
    }
}

@Test func aFileMayHoldOnlySLOs() {
    let result = RuleFileLoader.parse(yaml: "slos:\n  - {name: a, service: s, objective: 0.5, sli: errors}\n", file: file)
    #expect(result.problems == [])
    #expect(result.file.groups == [])
    #expect(result.file.slos.map(\.name) == ["a"])
}

// MARK: - The file

@Test func notYAML() {
    #expect(problems("groups:\n  - name: \"checkout\n") == [
        #"rules/a.yaml:3:1: is not valid YAML: while scanning a quoted scalar at 2:11, found unexpected end of stream"#,
    ])
}

@Test func repeatedKeyIsNotYAML() {
    #expect(problems(secondRule("for: 1m", "for: 2m")) == [
        #"rules/a.yaml:9:9: is not valid YAML: key "for" appears twice in one mapping (first at rules/a.yaml:8:9)"#,
    ])
}

@Test func unknownTopLevelKey() {
    #expect(problems("groups: []\nalerts: []\n") == [
        #"rules/a.yaml:2:1: unknown key "alerts" (keys: groups, slos)"#,
    ])
}

@Test func topLevelMustBeAMapping() {
    #expect(problems("- name: checkout\n") == [
        "rules/a.yaml:1:1: expected a mapping, not a list",
    ])
}

// MARK: - Groups

@Test func groupsMustBeAList() {
    #expect(problems("groups:\n  name: checkout\n") == [
        "rules/a.yaml:1:1: groups: expected a list, not a mapping",
    ])
}

@Test func groupMustBeAMapping() {
    #expect(problems("groups:\n  - checkout\n") == [
        "rules/a.yaml:2:5: group 1: expected a mapping, not a single value",
    ])
}

@Test func groupNeedsAName() {
    #expect(problems("groups:\n  - interval: 1m\n") == [
        "rules/a.yaml:2:5: group 1: a group needs name: NAME",
    ])
}

@Test func groupNameMustNotBeEmpty() {
    #expect(problems("groups:\n  - name: \"\"\n") == [
        "rules/a.yaml:2:5: group 1: name: must not be empty",
    ])
}

@Test func groupNameMustBeASingleValue() {
    #expect(problems("groups:\n  - name: [checkout]\n") == [
        "rules/a.yaml:2:5: group 1: name: expected a single value, not a list",
    ])
}

@Test func intervalMustBeADuration() {
    #expect(problems("groups:\n  - name: checkout\n    interval: 10\n") == [
        #"rules/a.yaml:3:5: group "checkout": interval: "10" is not a duration (e.g. 30s, 5m, 1h)"#,
    ])
}

@Test func intervalMustBeMoreThanZero() {
    #expect(problems("groups:\n  - name: checkout\n    interval: 0s\n") == [
        #"rules/a.yaml:3:5: group "checkout": interval: "0s" must be more than 0"#,
    ])
}

@Test func queryOffsetMustBeANonNegativeDuration() {
    #expect(problems("groups:\n  - name: checkout\n    query_offset: -5s\n") == [
        #"rules/a.yaml:3:5: group "checkout": query_offset: "-5s" is not a duration (e.g. 30s, 5m, 1h)"#,
    ])
}

@Test func unknownGroupKey() {
    #expect(problems("groups:\n  - name: checkout\n    limit: 10\n") == [
        #"rules/a.yaml:3:5: group "checkout": unknown key "limit" (keys: name, interval, query_offset, labels, rules)"#,
    ])
}

@Test func groupLabelNamesAreChecked() {
    #expect(problems("groups:\n  - name: checkout\n    labels: {team-name: shop, alertname: X}\n") == [
        #"rules/a.yaml:3:14: group "checkout": labels: "team-name" is not a valid label name (must match [a-zA-Z_][a-zA-Z0-9_]*)"#,
        #"rules/a.yaml:3:31: group "checkout": labels: alertname is set by alert:"#,
    ])
}

@Test func groupLabelsMustBeAMapping() {
    #expect(problems("groups:\n  - name: checkout\n    labels: [team]\n") == [
        #"rules/a.yaml:3:5: group "checkout": labels: expected a mapping, not a list"#,
    ])
}

@Test func rulesMustBeAList() {
    #expect(problems("groups:\n  - name: checkout\n    rules: {alert: X}\n") == [
        #"rules/a.yaml:3:5: group "checkout": rules: expected a list, not a mapping"#,
    ])
}

@Test func duplicateGroupNameInOneFile() {
    #expect(problems("groups:\n  - name: checkout\n  - name: payments\n  - name: checkout\n") == [
        #"rules/a.yaml:4:5: group "checkout": duplicate group name "checkout" (first at rules/a.yaml:2:5)"#,
    ])
}

@Test func groupWithoutANameIsNumberedInContexts() {
    let yaml = """
    groups:
      - name: checkout
      - interval: 1m
        rules:
          - alert: X
            for: 5x

    """
    #expect(problems(yaml) == [
        "rules/a.yaml:3:5: group 2: a group needs name: NAME",
        #"rules/a.yaml:5:9: group 2, rule 1 "X": a rule needs expr: EXPRESSION"#,
        #"rules/a.yaml:6:9: group 2, rule 1 "X": for: "5x" is not a duration (e.g. 30s, 5m, 1h)"#,
    ])
}

// MARK: - Rules

@Test func recordingRulesAreRefused() {
    let yaml = """
    groups:
      - name: checkout
        rules:
          - alert: Up
            expr: up == 0
          - record: job:up:sum
            expr: sum(up)

    """
    let result = RuleFileLoader.parse(yaml: yaml, file: file)
    #expect(result.problems.map(\.description) == [
        #"rules/a.yaml:6:9: group "checkout", rule 2: recording rules are not supported by this version of obs yet; use an alerting rule (alert:)"#,
    ])
    #expect(result.file.groups.first?.rules.map(\.alert) == ["Up"])
}

@Test func ruleNeedsAnAlertName() {
    let yaml = """
    groups:
      - name: checkout
        rules:
          - alert: Up
            expr: up == 0
          - expr: up == 0
            for: 1m

    """
    #expect(problems(yaml) == [
        #"rules/a.yaml:6:9: group "checkout", rule 2: a rule needs alert: NAME"#,
    ])
}

@Test func ruleNeedsAnExpr() {
    let yaml = """
    groups:
      - name: checkout
        rules:
          - alert: Up
            expr: up == 0
          - alert: NoExpr
            for: 1m

    """
    #expect(problems(yaml) == [
        #"rules/a.yaml:6:9: group "checkout", rule 2 "NoExpr": a rule needs expr: EXPRESSION"#,
    ])
}

@Test func exprMustNotBeEmpty() {
    let yaml = """
    groups:
      - name: checkout
        rules:
          - alert: Up
            expr:
          - alert: Blank
            expr: "  "

    """
    #expect(problems(yaml) == [
        #"rules/a.yaml:5:9: group "checkout", rule 1 "Up": expr: must not be empty"#,
        #"rules/a.yaml:7:9: group "checkout", rule 2 "Blank": expr: must not be empty"#,
    ])
}

@Test func forMustBeADuration() {
    #expect(problems(secondRule("for: 5x")) == [
        #"rules/a.yaml:8:9: group "checkout", rule 2 "CheckoutLatencyHigh": for: "5x" is not a duration (e.g. 30s, 5m, 1h)"#,
    ])
}

@Test func aNumberIsNotADuration() {
    #expect(problems(secondRule("for: 5")) == [
        #"rules/a.yaml:8:9: \#(rule2): for: "5" is not a duration (e.g. 30s, 5m, 1h)"#,
    ])
}

@Test func keepFiringForMustBeADuration() {
    #expect(problems(secondRule("keep_firing_for: 2 minutes")) == [
        #"rules/a.yaml:8:9: \#(rule2): keep_firing_for: "2 minutes" is not a duration (e.g. 30s, 5m, 1h)"#,
    ])
}

@Test func unknownRuleKey() {
    #expect(problems(secondRule("summary: slow")) == [
        #"rules/a.yaml:8:9: \#(rule2): unknown key "summary" (keys: alert, expr, for, keep_firing_for, labels, annotations)"#,
    ])
}

@Test func ruleLabelNameMustBeValid() {
    #expect(problems(secondRule("labels: {1severity: page}")) == [
        #"rules/a.yaml:8:18: \#(rule2): labels: "1severity" is not a valid label name (must match [a-zA-Z_][a-zA-Z0-9_]*)"#,
    ])
}

@Test func ruleLabelNamesStartingWithTwoUnderscoresAreReserved() {
    #expect(problems(secondRule("labels: {__name__: x}")) == [
        #"rules/a.yaml:8:18: \#(rule2): labels: "__name__" is reserved (names starting with __ are internal)"#,
    ])
}

@Test func ruleLabelAlertnameIsRefused() {
    #expect(problems(secondRule("labels: {alertname: Other}")) == [
        #"rules/a.yaml:8:18: \#(rule2): labels: alertname is set by alert:"#,
    ])
}

@Test func labelValuesMustBeSingleValues() {
    #expect(problems(secondRule("labels: {severity: [page, ticket]}")) == [
        #"rules/a.yaml:8:18: \#(rule2): labels.severity: expected a single value, not a list"#,
    ])
}

@Test func annotationNameMustBeValid() {
    #expect(problems(secondRule("annotations: {run-book: x, __internal: y}")) == [
        #"rules/a.yaml:8:23: \#(rule2): annotations: "run-book" is not a valid annotation name (must match [a-zA-Z_][a-zA-Z0-9_]*)"#,
        #"rules/a.yaml:8:36: \#(rule2): annotations: "__internal" is reserved (names starting with __ are internal)"#,
    ])
}

@Test func duplicateAlertNameInAGroup() {
    let yaml = """
    groups:
      - name: checkout
        rules:
          - alert: Up
            expr: up == 0
          - alert: Up
            expr: up < 1
      - name: payments
        rules:
          - alert: Up
            expr: up == 0

    """
    #expect(problems(yaml) == [
        #"rules/a.yaml:6:9: group "checkout", rule 2 "Up": duplicate alert name "Up" in this group (first at rules/a.yaml:4:9)"#,
    ])
}

@Test func ruleMustBeAMapping() {
    let yaml = """
    groups:
      - name: checkout
        rules:
          - alert: Up
            expr: up == 0
          - just text

    """
    #expect(problems(yaml) == [
        #"rules/a.yaml:6:9: group "checkout", rule 2: expected a mapping, not a single value"#,
    ])
}

// MARK: - SLOs

@Test func slosMustBeAList() {
    #expect(problems("slos:\n  name: x\n") == [
        "rules/a.yaml:1:1: slos: expected a list, not a mapping",
    ])
}

@Test func sloMustBeAMapping() {
    #expect(problems("slos:\n  - checkout\n") == [
        "rules/a.yaml:2:5: slo 1: expected a mapping, not a single value",
    ])
}

@Test func sloNeedsAName() {
    #expect(problems(slo(omit: ["name"])) == [
        "rules/a.yaml:2:5: slo 1: an slo needs name: NAME",
    ])
}

@Test func sloNeedsAService() {
    #expect(problems(slo(omit: ["service"])) == [
        #"rules/a.yaml:2:5: slo "checkout-latency": an slo needs service: SERVICE"#,
    ])
}

@Test func sloNeedsAnObjective() {
    #expect(problems(slo(omit: ["objective"])) == [
        #"rules/a.yaml:2:5: slo "checkout-latency": an slo needs objective: PERCENT (e.g. 99.9%)"#,
    ])
}

@Test func objectiveMustBeANumber() {
    #expect(problems(slo(omit: ["objective"], "objective: high")) == [
        #"rules/a.yaml:6:5: \#(sloContext): objective: "high" is not a percentage or a fraction (e.g. 99.9% or 0.999)"#,
    ])
}

@Test func objectiveMustBeStrictlyBetweenZeroAndOneHundredPercent() {
    let yaml = """
    slos:
      - {name: a, service: s, objective: 100%, sli: errors}
      - {name: b, service: s, objective: 0%, sli: errors}
      - {name: c, service: s, objective: 1, sli: errors}
      - {name: d, service: s, objective: 99.9, sli: errors}

    """
    let result = RuleFileLoader.parse(yaml: yaml, file: file)
    #expect(result.problems.map(\.description) == [
        #"rules/a.yaml:2:27: slo "a": objective: "100%" must be more than 0% and less than 100%"#,
        #"rules/a.yaml:3:27: slo "b": objective: "0%" must be more than 0% and less than 100%"#,
        #"rules/a.yaml:4:27: slo "c": objective: "1" must be more than 0% and less than 100%"#,
        #"rules/a.yaml:5:27: slo "d": objective: "99.9" must be more than 0% and less than 100% (did you mean 99.9%?)"#,
    ])
    #expect(result.file.slos == [])
}

@Test func sloNeedsAnIndicator() {
    #expect(problems(slo(omit: ["sli", "threshold"])) == [
        #"rules/a.yaml:2:5: slo "checkout-latency": an slo needs sli: errors or sli: latency"#,
    ])
}

@Test func sliMustBeErrorsOrLatency() {
    #expect(problems(slo(omit: ["sli", "threshold"], "sli: availability")) == [
        #"rules/a.yaml:5:5: \#(sloContext): sli: "availability" is not errors or latency"#,
    ])
}

@Test func latencyNeedsAThreshold() {
    #expect(problems(slo(omit: ["threshold"])) == [
        #"rules/a.yaml:5:5: \#(sloContext): sli: latency needs threshold: DURATION (e.g. 2s)"#,
    ])
}

@Test func errorsRefusesAThreshold() {
    #expect(problems(slo(omit: ["sli", "threshold"], "sli: errors", "threshold: 2s")) == [
        #"rules/a.yaml:6:5: \#(sloContext): threshold: only applies to sli: latency"#,
    ])
}

@Test func thresholdMustBeMoreThanZero() {
    #expect(problems(slo(omit: ["threshold"], "threshold: 0ms")) == [
        #"rules/a.yaml:6:5: \#(sloContext): threshold: "0ms" must be more than 0"#,
    ])
}

@Test func windowMustBeADuration() {
    #expect(problems(slo("window: month")) == [
        #"rules/a.yaml:7:5: \#(sloContext): window: "month" is not a duration (e.g. 30s, 5m, 1h)"#,
    ])
}

@Test func windowInAFlowMappingIsLocated() {
    let yaml = "slos:\n  - {name: checkout-latency, service: checkout, objective: 95%, sli: latency, threshold: 2s, window: 0s}\n"
    #expect(problems(yaml) == [
        #"rules/a.yaml:2:94: \#(sloContext): window: "0s" must be more than 0"#,
    ])
}

@Test func unknownSLOKey() {
    #expect(problems(slo("burn_rate: 2")) == [
        #"rules/a.yaml:7:5: \#(sloContext): unknown key "burn_rate" (keys: name, service, route, objective, sli, threshold, window, burn_rate_alerts)"#,
    ])
}

@Test func duplicateSLONameInOneFile() {
    let yaml = """
    slos:
      - {name: a, service: s, objective: 90%, sli: errors}
      - {name: a, service: t, objective: 90%, sli: errors}

    """
    let result = RuleFileLoader.parse(yaml: yaml, file: file)
    #expect(result.problems.map(\.description) == [
        #"rules/a.yaml:3:6: slo "a": duplicate slo name "a" (first at rules/a.yaml:2:6)"#,
    ])
    #expect(result.file.slos.map(\.service) == ["s"])
}

// MARK: - Many problems at once

@Test func fiveProblemsInDocumentOrder() {
    let yaml = """
    groups:
      - name: checkout
        interval: 0s
        rules:
          - alert: NoExpr
            for: soon
          - alert: Up
            expr: up == 0
            labels: {__team: shop}
    slos:
      - {name: s, service: checkout, objective: 150%, sli: errors}

    """
    #expect(problems(yaml) == [
        #"rules/a.yaml:3:5: group "checkout": interval: "0s" must be more than 0"#,
        #"rules/a.yaml:5:9: group "checkout", rule 1 "NoExpr": a rule needs expr: EXPRESSION"#,
        #"rules/a.yaml:6:9: group "checkout", rule 1 "NoExpr": for: "soon" is not a duration (e.g. 30s, 5m, 1h)"#,
        #"rules/a.yaml:9:18: group "checkout", rule 2 "Up": labels: "__team" is reserved (names starting with __ are internal)"#,
        #"rules/a.yaml:11:34: slo "s": objective: "150%" must be more than 0% and less than 100%"#,
    ])
}

@Test func problemDescriptionWithoutLocationOrContext() {
    #expect(RuleProblem(file: "rules/x.yaml", message: "does not exist").description == "rules/x.yaml: does not exist")
    #expect(RuleProblem(location: at(3, 1), message: "m").description == "rules/a.yaml:3:1: m")
    #expect(at(12, 9).description == "rules/a.yaml:12:9")
}

// MARK: - Loading paths

@Test func duplicateNamesAcrossFiles() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try write("groups:\n  - name: checkout\nslos:\n  - {name: avail, service: s, objective: 99%, sli: errors}\n", to: directory + "/a.yaml")
    try write("groups:\n  - name: payments\n  - name: checkout\nslos:\n  - {name: avail, service: t, objective: 99%, sli: errors}\n", to: directory + "/b.yaml")
    let result = RuleFileLoader.load(paths: [directory])
    #expect(result.problems.map(\.description) == [
        #"\#(directory)/b.yaml:3:5: group "checkout": duplicate group name "checkout" (first at \#(directory)/a.yaml:2:5)"#,
        #"\#(directory)/b.yaml:5:6: slo "avail": duplicate slo name "avail" (first at \#(directory)/a.yaml:4:6)"#,
    ])
    #expect(result.files.map(\.path) == [directory + "/a.yaml", directory + "/b.yaml"])
    #expect(result.files.map { $0.groups.map(\.name) } == [["checkout"], ["payments", "checkout"]])
    #expect(result.files.map { $0.slos.map(\.service) } == [["s"], []])
}

@Test func directoryFilesInNameOrder() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for name in ["b.yml", "a.yaml", "C.yaml", "notes.txt", ".hidden.yaml"] {
        try write("groups:\n  - name: \(name)\n", to: directory + "/" + name)
    }
    try FileManager.default.createDirectory(atPath: directory + "/nested.yaml", withIntermediateDirectories: false)
    try write("groups:\n  - name: nested\n", to: directory + "/nested.yaml/z.yaml")
    let result = RuleFileLoader.load(paths: [directory + "/"])
    #expect(result.problems == [])
    #expect(result.files.map(\.path) == [directory + "/C.yaml", directory + "/a.yaml", directory + "/b.yml"])
    #expect(result.files.flatMap { $0.groups.map(\.name) } == ["C.yaml", "a.yaml", "b.yml"])
}

@Test func namedFilesLoadWhateverTheirExtensionAndOnlyOnce() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try write("groups:\n  - name: conf\n", to: directory + "/rules.conf")
    try write("groups:\n  - name: a\n", to: directory + "/a.yaml")
    let result = RuleFileLoader.load(paths: [directory + "/rules.conf", directory, directory + "/a.yaml"])
    #expect(result.problems == [])
    #expect(result.files.map(\.path) == [directory + "/rules.conf", directory + "/a.yaml"])
}

@Test func missingPathIsAProblem() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try write("groups:\n  - name: a\n", to: directory + "/a.yaml")
    let result = RuleFileLoader.load(paths: [directory + "/missing.yaml", directory + "/a.yaml"])
    #expect(result.problems.map(\.description) == ["\(directory)/missing.yaml: does not exist"])
    #expect(result.problems.first?.location == nil)
    #expect(result.files.map(\.path) == [directory + "/a.yaml"])
}

@Test func fileThatIsNotUTF8() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try Data([0x67, 0xC3, 0x28, 0x0A]).write(to: URL(fileURLWithPath: directory + "/bad.yaml"))
    let result = RuleFileLoader.load(paths: [directory])
    #expect(result.problems.map(\.description) == ["\(directory)/bad.yaml: is not UTF-8 text"])
    #expect(result.files == [])
}
