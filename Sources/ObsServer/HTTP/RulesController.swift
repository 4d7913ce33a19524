import Hummingbird
import ObsCore
import ObsNotify
import ObsQuery
import ObsRules
import ObsStorage

/// The rule engine over HTTP: `GET /api/v1/alerts` and `GET /api/v1/rules` in Prometheus'
/// shapes, `GET /api/v1/alerts/history` (the transitions), and `POST /-/reload`
/// (Prometheus' path): 200 when the new rules are loaded, 500 with every problem when the
/// files are invalid and the previous rules stay.
struct RulesController: Sendable {
    let manager: RuleManager
    let history: any AlertStore
    let clock: any ObsClock
    /// Which active alerts silences or inhibit rules mute: shown as `suppressed`.
    let suppression: @Sendable ([Alert]) async -> [String: AlertSuppression]

    func register(with router: Router<BasicRequestContext>) {
        let engine = manager.engine
        router.get("/api/v1/alerts") { _, _ -> Response in
            let alerts = await engine.activeAlerts()
            return JSONResponse.make(.ok, AlertsJSON.alerts(alerts, suppressed: await suppression(alerts)))
        }
        // `rule_group`/`alertname` (and Prometheus' `rule_group[]`/`rule_name[]`) narrow the
        // list: a notification's generatorURL points at its own rule this way.
        router.get("/api/v1/rules") { request, _ -> Response in
            let parameters = FormParameters(request)
            let groupName = parameters.get("rule_group") ?? parameters.get("rule_group[]")
            let ruleName = parameters.get("alertname") ?? parameters.get("rule_name[]")
            var views: [AlertsJSON.GroupView] = []
            for group in await engine.rules.groups where groupName.map({ $0 == group.name }) ?? true {
                var rules: [(rule: AlertingRule, status: RuleStatus, alerts: [Alert])] = []
                for rule in group.rules where ruleName.map({ $0 == rule.name }) ?? true {
                    rules.append((rule, await engine.status(of: rule.key), await engine.alerts(of: rule.key)))
                }
                views.append(.init(group: group, status: await engine.status(ofGroup: group.name), rules: rules))
            }
            return JSONResponse.make(.ok, AlertsJSON.rules(views))
        }
        router.get("/api/v1/alerts/history") { request, _ -> Response in
            let parameters = FormParameters(request)
            switch AlertHistoryParameters.parse({ parameters.get($0) }, now: clock.now()) {
            case .failure(let invalid):
                return JSONResponse.make(.badRequest, QueryResult.errorJSON(invalid.message))
            case .success(let query):
                do {
                    return JSONResponse.make(.ok, AlertsJSON.history(try await history.transitions(matching: query)))
                } catch {
                    return JSONResponse.make(.internalServerError, QueryResult.errorJSON("\(error)", type: "internal"))
                }
            }
        }
        router.post("/-/reload") { _, _ -> Response in
            switch await manager.reload() {
            case .success(let rules):
                return JSONResponse.make(.ok, Self.reloaded(rules))
            case .failure(let error):
                return JSONResponse.make(.internalServerError, QueryResult.errorJSON("the rule files are invalid; the previous rules stay loaded:\n\(error)", type: "bad_data"))
            }
        }
    }

    private static func reloaded(_ rules: RuleSet) -> JSONWriter {
        var json = JSONWriter()
        json.beginObject()
        json.key("status"); json.string("success")
        json.key("data"); json.beginObject()
        json.key("summary"); json.string(rules.summary)
        json.endObject()
        json.endObject()
        return json
    }
}
