import Foundation
import ObsNotify
import Testing
@testable import ObsServer

@Suite struct NotificationsConfigTests {
    @Test("a complete notifications config: receivers of every format, a route tree, inhibit rules")
    func complete() throws {
        let config = try ObsConfig.parse(yaml: """
            receivers:
              - {name: oncall, url: "http://127.0.0.1:9099/hook", format: alertmanager, secret_env: OBS_WEBHOOK_SECRET}
              - name: slack
                url: https://hooks.slack.com/services/T000/B000/XXXX
                format: slack
                send_resolved: false
                timeout: 5s
              - {name: pager, format: pagerduty, routing_key_env: PD_KEY}
              - name: am
                url: http://127.0.0.1:9093
                format: alertmanager-api
                headers: {X-Team: shop}
                max_delivery_time: 1h
                max_in_flight: 2
                backoff: {initial: 2s, max: 1m}
            route:
              receiver: oncall
              group_by: [alertname, service]
              group_wait: 0s
              routes:
                - matchers: ['severity=~"page|critical"']
                  receiver: pager
                  continue: true
                - matchers: [service="checkout"]
                  receiver: slack
                  group_interval: 30s
            inhibit_rules:
              - source_matchers: [severity="critical"]
                target_matchers: [severity="warning"]
                equal: [service]
            """, file: "obs.yaml")
        let notifications = config.notifications
        #expect(notifications.receivers.map(\.name) == ["oncall", "slack", "pager", "am"])
        #expect(notifications.receivers.map(\.format) == [.alertmanager, .slack, .pagerduty, .alertmanagerAPI])
        #expect(notifications.receivers[0].secretEnv == "OBS_WEBHOOK_SECRET")
        #expect(notifications.receivers[1].sendResolved == false)
        #expect(notifications.receivers[1].timeout == .seconds(5))
        #expect(notifications.receivers[2].url.absoluteString == NotificationsConfig.pagerDutyEventsURL)
        #expect(notifications.receivers[3].headers == ["X-Team": "shop"])
        #expect(notifications.receivers[3].retry == RetryPolicy(initialBackoff: .seconds(2), maxBackoff: .seconds(60)))
        #expect(notifications.receivers[3].maxInFlight == 2)
        #expect(notifications.receivers[3].maxDeliveryTime == .seconds(3600))
        let route = try #require(try notifications.resolvedRoute())
        #expect(route.groupWait == .zero)
        #expect(route.match(["alertname": "HighErrorRate", "service": "checkout", "severity": "page"]).map(\.receiver) == ["pager", "slack"])
        #expect(route.routes[1].groupInterval == .seconds(30))
        #expect(notifications.inhibitRules.count == 1)
    }

    @Test("every problem, located and keyed")
    func problems() {
        do {
            _ = try ObsConfig.parse(yaml: """
                receivers:
                  - {name: a, url: "ftp://x/hook", format: alertmanager}
                  - {name: b, url: "http://127.0.0.1:1/", format: teams}
                  - {name: c, format: pagerduty}
                  - {name: d, url: "http://127.0.0.1:1/", format: json, colour: red, timeout: 0s}
                route:
                  receiver: a
                  routes: [{matchers: ['sev=~"("']}]
                inhibit_rules:
                  - {target_matchers: [severity=warning]}
                """, file: "obs.yaml")
            Issue.record("expected a ConfigError")
        } catch {
            let lines = error.problems.map(\.description)
            #expect(lines.contains("obs.yaml:2:5: receivers[0].url: \"ftp://x/hook\" is not an http(s) URL"))
            #expect(lines.contains { $0.hasPrefix("obs.yaml:3:") && $0.hasSuffix("receivers[1].format: \"teams\" is not one of alertmanager, slack, pagerduty, json, alertmanager-api") })
            #expect(lines.contains("obs.yaml:4:5: receivers[2].routing_key_env: is required for format pagerduty"))
            // An invalid format is one problem, not also a missing one.
            #expect(!lines.contains { $0.contains("receivers[1].format: is required") })
            #expect(lines.contains { $0.contains("receivers[3].colour: unknown key") })
            #expect(lines.contains { $0.contains("receivers[3].timeout: must be longer than 0s") })
            #expect(lines.contains { $0.contains("route.routes[0].matchers[0]: matcher") && $0.contains("invalid regular expression") })
            #expect(lines.contains { $0.contains("inhibit_rules[0]") && $0.contains("source") })
        }
    }

    @Test("the route must name defined receivers; one receiver needs no route; several do")
    func routeChecks() throws {
        #expect(throws: ConfigError.self) {
            try ObsConfig.parse(yaml: """
                receivers: [{name: a, url: "http://127.0.0.1:1/", format: json}]
                route: {receiver: nobody}
                """, file: "f")
        }
        #expect(throws: ConfigError.self) {
            try ObsConfig.parse(yaml: """
                receivers:
                  - {name: a, url: "http://127.0.0.1:1/", format: json}
                  - {name: b, url: "http://127.0.0.1:1/", format: json}
                """, file: "f")
        }
        #expect(throws: ConfigError.self) {
            try ObsConfig.parse(yaml: """
                receivers:
                  - {name: a, url: "http://127.0.0.1:1/", format: json}
                  - {name: a, url: "http://127.0.0.1:2/", format: json}
                route: {receiver: a}
                """, file: "f")
        }
        let single = try ObsConfig.parse(yaml: #"receivers: [{name: a, url: "http://127.0.0.1:1/", format: json}]"#, file: "f")
        #expect(try single.notifications.resolvedRoute()?.receiver == "a")
        #expect(try ObsConfig().notifications.resolvedRoute() == nil)
    }

    @Test("secret and routing-key variables missing from the environment are named at start-up")
    func missingEnvironment() throws {
        let receivers = [
            Receiver(name: "a", url: URL(string: "http://127.0.0.1:1/")!, format: .alertmanager, secretEnv: "HOOK_SECRET"),
            Receiver(name: "p", url: URL(string: NotificationsConfig.pagerDutyEventsURL)!, format: .pagerduty, routingKeyEnv: "PD_KEY"),
        ]
        do {
            _ = try ResolvedReceiver.resolve(receivers, environment: ["HOOK_SECRET": ""])
            Issue.record("expected a NotifyConfigError")
        } catch {
            #expect(error.problems == [
                "receiver \"a\": secret_env HOOK_SECRET is not set in the environment",
                "receiver \"p\": routing_key_env PD_KEY is not set in the environment",
            ])
        }
        let resolved = try ResolvedReceiver.resolve(receivers, environment: ["HOOK_SECRET": "s3cret", "PD_KEY": "R0UT1NG"])
        #expect(resolved[0].secret == Array("s3cret".utf8))
        #expect(resolved[1].routingKey == "R0UT1NG")
    }
}
