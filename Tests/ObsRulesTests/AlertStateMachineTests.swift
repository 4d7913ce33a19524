import ObsCore
import ObsRules
import ObsStorage
import Testing

@Suite("Alert state machine: for, keep_firing_for, flapping, resolution values")
struct AlertStateMachineTests {
    /// What one evaluation sees for the single series `service="checkout"`: nil = no series.
    struct Step {
        var time: Int64
        var value: Double?
        var holds: Bool
    }

    /// Runs the steps through the machine; returns every transition as (time, state, value)
    /// and the alerts after the last step.
    static func run(_ rule: AlertingRule, _ steps: [Step]) -> (transitions: [(Int64, AlertState, Double?)], alerts: [String: Alert]) {
        let machine = AlertStateMachine(rule: rule, externalURL: "http://obs.example:4318")
        var alerts: [String: Alert] = [:]
        var transitions: [(Int64, AlertState, Double?)] = []
        for step in steps {
            let samples = step.value == nil && !step.holds ? [] : [sample("checkout", step.value, holds: step.holds)]
            let (next, change) = machine.step(alerts, samples: samples, at: at(step.time))
            transitions += change.transitions.map { ($0.time.nanoseconds / 1_000_000_000, $0.state, $0.value) }
            alerts = next
        }
        return (transitions, alerts)
    }

    static func same(_ a: [(Int64, AlertState, Double?)], _ b: [(Int64, AlertState, Double?)]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 && $0.2 == $1.2 }
    }

    @Test("for: pending until it has held for `for`, back to inactive when it stops first, fires, resolves with the resolving value, re-fires as a new episode")
    func holdDuration() throws {
        let rule = try alertingRule(for: .seconds(30))
        let (transitions, alerts) = Self.run(rule, [
            Step(time: 0, value: 2500, holds: true),
            Step(time: 10, value: 2600, holds: true),
            Step(time: 20, value: 1500, holds: false),
            Step(time: 30, value: 2100, holds: true),
            Step(time: 40, value: 2200, holds: true),
            Step(time: 50, value: 2300, holds: true),
            Step(time: 60, value: 2400, holds: true),
            Step(time: 70, value: 310, holds: false),
            Step(time: 80, value: 2900, holds: true),
        ])
        #expect(Self.same(transitions, [
            (0, .pending, 2500), (20, .inactive, 1500), (30, .pending, 2100), (60, .firing, 2400), (70, .resolved, 310), (80, .pending, 2900),
        ]), "\(transitions)")
        let alert = try #require(alerts.values.first)
        #expect(alerts.count == 1 && alert.state == .pending && alert.activeAt == at(80) && alert.firedAt == nil)
    }

    @Test("for: 0s fires at the first evaluation that holds, with no pending transition")
    func firesAtOnce() throws {
        let (transitions, _) = Self.run(try alertingRule(), [
            Step(time: 0, value: 1000, holds: false), Step(time: 10, value: 2500, holds: true), Step(time: 20, value: 900, holds: false),
        ])
        #expect(Self.same(transitions, [(10, .firing, 2500), (20, .resolved, 900)]), "\(transitions)")
    }

    @Test("keep_firing_for: keeps firing until the condition has not held for that long; the countdown restarts when it holds again")
    func keepFiring() throws {
        let rule = try alertingRule(keepFiringFor: .seconds(20))
        let machine = AlertStateMachine(rule: rule, externalURL: "")
        var alerts: [String: Alert] = [:]
        var log: [(Int64, AlertState, Double?)] = []
        var keepFiringSince: [Int64: Timestamp?] = [:]
        for step in [Step(time: 0, value: 2500, holds: true), Step(time: 10, value: 900, holds: false), Step(time: 20, value: 800, holds: false),
                     Step(time: 30, value: 2500, holds: true), Step(time: 40, value: 700, holds: false), Step(time: 50, value: 600, holds: false),
                     Step(time: 60, value: 500, holds: false)] {
            let (next, change) = machine.step(alerts, samples: [sample("checkout", step.value, holds: step.holds)], at: at(step.time))
            log += change.transitions.map { ($0.time.nanoseconds / 1_000_000_000, $0.state, $0.value) }
            keepFiringSince[step.time] = next.values.first?.keepFiringSince
            alerts = next
        }
        #expect(Self.same(log, [(0, .firing, 2500), (60, .resolved, 500)]), "\(log)")
        #expect(keepFiringSince[10] == at(10) && keepFiringSince[20] == at(10))
        #expect(keepFiringSince[30] == .some(nil) && keepFiringSince[40] == at(40) && keepFiringSince[50] == at(40))
        #expect(alerts.isEmpty)
    }

    @Test("flapping around the threshold with for: each short breach is its own pending episode, none fires")
    func flapping() throws {
        var steps: [Step] = []
        for index in 0..<12 {
            let breach = index % 2 == 0
            steps.append(Step(time: Int64(index) * 10, value: breach ? 2100 : 1900, holds: breach))
        }
        let (transitions, _) = Self.run(try alertingRule(for: .seconds(15)), steps)
        #expect(transitions.count == 12)
        #expect(transitions.allSatisfy { $0.1 == .pending || $0.1 == .inactive })
        #expect(!transitions.contains { $0.1 == .firing })
    }

    @Test("a series that disappears resolves its alert with no value")
    func seriesGone() throws {
        let (transitions, alerts) = Self.run(try alertingRule(), [Step(time: 0, value: 2500, holds: true), Step(time: 10, value: nil, holds: false)])
        #expect(Self.same(transitions, [(0, .firing, 2500), (10, .resolved, nil)]), "\(transitions)")
        #expect(alerts.isEmpty)
    }

    @Test("what changed is stored: new alerts, state changes, keep_firing countdowns — not an unchanged pending alert")
    func storedChanges() throws {
        let machine = AlertStateMachine(rule: try alertingRule(for: .seconds(30), keepFiringFor: .seconds(60)), externalURL: "")
        let first = machine.step([:], samples: [sample("checkout", 2500, holds: true)], at: at(0))
        #expect(first.change.upserted.map(\.state) == [.pending] && first.change.removed.isEmpty)
        let second = machine.step(first.alerts, samples: [sample("checkout", 2600, holds: true)], at: at(10))
        #expect(second.change.isEmpty)
        #expect(second.alerts.values.first?.value == 2600)
        let fired = machine.step(second.alerts, samples: [sample("checkout", 2700, holds: true)], at: at(30))
        #expect(fired.change.upserted.map(\.state) == [.firing] && fired.change.transitions.map(\.state) == [.firing])
        let kept = machine.step(fired.alerts, samples: [sample("checkout", 100, holds: false)], at: at(40))
        #expect(kept.change.transitions.isEmpty && kept.change.upserted.map(\.keepFiringSince) == [at(40)])
    }

    @Test("labels: series, then group and rule labels rendered from the series; alertname last; annotations see the alert's labels and the value with its unit")
    func labelsAndAnnotations() throws {
        let rule = try alertingRule(
            labels: [("severity", "page"), ("team", "{{ $labels.service }}-oncall"), ("empty", "{{ $labels.nothing }}")],
            annotations: [("summary", "{{ $labels.service }} p95 is {{ $value }} ({{ $labels.severity }})"),
                          ("link", "{{ $externalURL }}/api/v1/alerts"), ("raw", #"{{ $value | printf "%.1f" }} ms"#)]
        )
        let machine = AlertStateMachine(rule: rule, externalURL: "http://obs.example:4318")
        let (alerts, change) = machine.step([:], samples: [sample("checkout", 2310.46, holds: true)], at: at(0))
        let alert = try #require(alerts.values.first)
        #expect(alert.labels == ["alertname": "CheckoutSlow", "service": "checkout", "severity": "page", "team": "checkout-oncall"])
        #expect(alert.annotations == ["summary": "checkout p95 is 2.31s (page)", "link": "http://obs.example:4318/api/v1/alerts", "raw": "2310.5 ms"])
        #expect(alert.fingerprint == AlertFingerprint.of(alert.labels) && alerts.keys.first == alert.fingerprint)
        #expect(change.transitions.first?.annotations == alert.annotations)
    }

    @Test("an error-rate rule's value prints as a percentage; two series that end with the same labels are one alert")
    func unitsAndDuplicates() throws {
        let rule = try alertingRule("Errors", "error_rate[5m] by (service) > 1%", annotations: [("summary", "{{ $value }} failing")])
        let machine = AlertStateMachine(rule: rule, externalURL: "")
        let samples = [RuleSample(labels: ["service": "cart"], value: 0.0042, holds: true), RuleSample(labels: ["service": "cart"], value: 0.5, holds: true)]
        let (alerts, change) = machine.step([:], samples: samples, at: at(0))
        #expect(alerts.count == 1 && change.transitions.count == 1)
        #expect(alerts.values.first?.annotations["summary"] == "0.42% failing")
    }
}
