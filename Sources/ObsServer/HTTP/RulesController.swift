import Hummingbird
import ObsCore
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

    func register(with router: Router<BasicRequestContext>) {
        let engine = manager.engine
        router.get("/api/v1/alerts") { _, _ -> Response in
            JSONResponse.make(.ok, AlertsJSON.alerts(await engine.activeAlerts()))
        }
        router.get("/api/v1/rules") { _, _ -> Response in
            var views: [AlertsJSON.GroupView] = []
            for group in await engine.rules.groups {
                var rules: [(rule: AlertingRule, status: RuleStatus, alerts: [Alert])] = []
                for rule in group.rules {
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
