import ArgumentParser
import Foundation
import ObsCLI
import ObsCore
import ObsQuery
import ObsServer
import ObsStorage

struct Query: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask obs questions.",
        discussion: """
            obs query 'EXPR' evaluates the expression language, e.g.
              obs query 'p95(latency{service="checkout"}[5m])'
              obs query 'error_rate[5m] by (service)' --since 1h --step 1m
            """,
        subcommands: [Expr.self, Logs.self, Trace.self, Traces.self, Services.self, Alerts.self, RuleList.self, Notifications.self,
                      SLOs.self, Availability.self, Incidents.self, MTTR.self],
        defaultSubcommand: Expr.self
    )
}

extension Query {
    struct Expr: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "expr",
            abstract: "Evaluate an expression: now (a table), or over --since … --until with --step (a sparkline per series)."
        )

        @OptionGroup var common: CommonQueryOptions

        @Argument(help: "The expression, e.g. 'p95(latency[5m]) by (service)'.")
        var expression: String

        @Option(name: .long, help: "Range step (10s, 1m, …; default about 60 points over the range).")
        var step: String?

        @Option(name: .long, help: "Evaluate at this instant instead of now (same forms as --since).")
        var time: String?

        @Option(name: .long, help: "With --db: the rule files whose slos: burn_rate(…) can name (default ./rules).")
        var rules: String = "./rules"

        func run() async throws {
            let now = Timestamp.now()
            let parameters: [String: String?] = [
                "expr": expression, "time": time, "start": common.since, "end": common.until, "step": step,
            ]
            let get: (String) -> String? = { parameters[$0] ?? nil }
            var request: QueryRequest
            do {
                if common.since != nil {
                    request = try QueryRequest.range(get, now: now)
                    if step == nil, case .range(let start, let end, _) = request.evaluation {
                        request.evaluation = .range(start: start, end: end, step: QueryRequest.defaultStep(from: start, to: end, points: 60))
                    }
                    request = request.alignedToStep
                } else {
                    guard common.until == nil else { throw ValidationError("--until needs --since (a range); use --time for one instant") }
                    request = try QueryRequest.instant(get, now: now)
                }
            } catch let error as QueryError {
                throw ValidationError(error.description)
            }
            let format = try common.outputFormat()
            try await common.emit {
                let source = try common.source()
                // Only an expression that names an SLO needs the rule files.
                let usesSLOs = expression.contains("burn_rate") || expression.contains("error_budget_remaining")
                let slos = common.db != nil && usesSLOs ? try await SLOCatalogLoader.load([rules]) : SLOCatalog()
                return QueryResultPrinter.render(try await ExpressionQueryClient.fetch(request, from: source, slos: slos), as: format)
            }
        }
    }
}

/// Prints what `produce` returns, or its failure as one line on stderr with exit 1.
func emitOutput(_ produce: () async throws -> String) async throws {
    do {
        FileHandle.standardOutput.write(Data(try await produce().utf8))
    } catch let error as CLIError {
        FileHandle.standardError.write(Data("obs: \(error)\n".utf8))
        throw ExitCode(1)
    }
}

/// The daemon's base URL: `--url`, else env `OBS_URL`, else the default address.
func daemonURL(_ flag: String?) throws -> URL {
    let text = flag ?? ProcessInfo.processInfo.environment["OBS_URL"] ?? "http://127.0.0.1:4318"
    guard let parsed = URL(string: text), parsed.scheme == "http" || parsed.scheme == "https" else {
        throw ValidationError("--url \"\(text)\" is not an http(s) URL")
    }
    return parsed
}

/// Flags every `obs query` subcommand shares.
struct CommonQueryOptions: ParsableArguments {
    @Option(name: .long, help: "Daemon URL (env OBS_URL, default http://127.0.0.1:4318).")
    var url: String?

    @Option(name: .long, help: "Bearer token for a daemon that requires one (env OBS_TOKEN).")
    var token: String?

    @Option(name: .long, help: "Read this SQLite file directly (read-only) instead of asking the daemon.")
    var db: String?

    @Option(name: .long, help: "Start: RFC 3339, epoch seconds, or a duration ago (15m, 2h, 7d).")
    var since: String?

    @Option(name: .long, help: "End (exclusive), same forms as --since.")
    var until: String?

    @Option(name: .long, help: "table, json, ndjson or csv (default: table on a terminal, json when piped).")
    var format: String?

    func outputFormat() throws -> OutputFormat {
        guard let format else { return .automatic }
        guard let parsed = OutputFormat(rawValue: format) else {
            throw ValidationError("--format must be one of table, json, ndjson, csv")
        }
        return parsed
    }

    func emit(_ produce: () async throws -> String) async throws {
        try await emitOutput(produce)
    }

    func source() throws -> LogSource {
        if let db { return .database(path: db) }
        return .api(try daemonURL(url), token: token ?? ProcessInfo.processInfo.environment["OBS_TOKEN"])
    }
}

extension Query {
    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stored logs, newest first.")

        @OptionGroup var common: CommonQueryOptions

        @Option(name: .long, help: "Only this service.")
        var service: String?

        @Option(name: .long, help: "Minimum level: trace, debug, info, warn, error, fatal (or 1–24).")
        var level: String?

        @Option(name: .long, help: "Full-text search: every word must occur in the message.")
        var grep: String?

        @Option(name: .customLong("trace-id"), help: "Only logs of this trace.")
        var traceID: String?

        @Option(name: .long, help: "At most this many records (default 100, at most 100000).")
        var limit: Int?

        func run() async throws {
            let parameters: [String: String?] = [
                "service": service, "level": level, "q": grep, "trace_id": traceID,
                "since": common.since, "until": common.until, "limit": limit.map(String.init),
            ]
            let query: LogQuery
            switch LogQueryParameters.parse({ parameters[$0] ?? nil }, now: Timestamp.now()) {
            case .success(let parsed): query = parsed
            case .failure(let invalid): throw ValidationError(invalid.message)
            }
            let format = try common.outputFormat()
            try await common.emit {
                LogRecordPrinter.render(try await LogQueryClient.fetch(query, from: try common.source()), as: format)
            }
        }
    }
}

extension Query {
    struct Trace: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One trace: its spans as a tree, and the logs that carry its id.")

        @OptionGroup var common: CommonQueryOptions

        @Argument(help: "The trace id (32 hex characters).")
        var id: String

        func run() async throws {
            let format = try common.outputFormat()
            guard format == .json || format == .table else { throw ValidationError("--format must be table or json for a trace") }
            try await common.emit {
                let body = try await TraceQueryClient.fetch(id, from: try common.source())
                return format == .json ? String(decoding: body, as: UTF8.self) + "\n" : try TraceQueryClient.table(body)
            }
        }
    }
}

extension Query {
    struct Traces: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recent traces, one line each, newest first.")

        @OptionGroup var common: CommonQueryOptions

        @Option(name: .long, help: "Only traces with a span of this service.")
        var service: String?

        @Option(name: .customLong("min-duration"), help: "Only traces at least this long (500ms, 2s; a bare number is ms).")
        var minDuration: String?

        @Flag(name: .long, help: "Only traces with an error span.")
        var error = false

        @Option(name: .long, help: "At most this many traces (default 20, at most 1000).")
        var limit: Int?

        func run() async throws {
            let parameters: [String: String?] = [
                "service": service, "min_duration": minDuration, "error": error ? "true" : nil,
                "since": common.since, "until": common.until, "limit": limit.map(String.init),
            ]
            let query: TraceQuery
            switch TraceQueryParameters.parse({ parameters[$0] ?? nil }, now: Timestamp.now()) {
            case .success(let parsed): query = parsed
            case .failure(let invalid): throw ValidationError(invalid.message)
            }
            let format = try common.outputFormat()
            guard format == .json || format == .table else { throw ValidationError("--format must be table or json for traces") }
            try await common.emit {
                let body = try await TraceQueryClient.list(query, from: try common.source())
                return format == .json ? String(decoding: body, as: UTF8.self) + "\n" : try TraceQueryClient.listTable(body)
            }
        }
    }
}

extension Query {
    struct Services: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The service graph: caller → callee calls, errors and p95 from spans.")

        @OptionGroup var common: CommonQueryOptions

        func run() async throws {
            let parameters = ["since": common.since, "until": common.until]
            let since: Timestamp?, until: Timestamp?
            switch LogQueryParameters.timeBounds({ parameters[$0] ?? nil }, now: Timestamp.now()) {
            case .success(let bounds): (since, until) = bounds
            case .failure(let invalid): throw ValidationError(invalid.message)
            }
            let format = try common.outputFormat()
            guard format == .json || format == .table else { throw ValidationError("--format must be table or json for services") }
            try await common.emit {
                let body = try await TraceQueryClient.services(since: since, until: until, from: try common.source())
                return format == .json ? String(decoding: body, as: UTF8.self) + "\n" : try TraceQueryClient.servicesTable(body)
            }
        }
    }
}

extension Query {
    struct Alerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Active alerts (pending and firing), or with --history every transition in the window, oldest first."
        )

        @OptionGroup var common: CommonQueryOptions

        @Flag(name: .long, help: "The alert history: every pending, firing, resolved and inactive transition.")
        var history = false

        @Option(name: .long, help: "With --history: only this alert name.")
        var alertname: String?

        @Option(name: .long, help: "With --history: only transitions to this state (pending, firing, resolved, inactive).")
        var state: String?

        @Option(name: .long, help: "With --history: at most this many transitions, the newest (default 1000).")
        var limit: Int?

        func run() async throws {
            let format = try common.outputFormat()
            guard format == .json || format == .table else { throw ValidationError("--format must be table or json for alerts") }
            guard history || (common.since == nil && common.until == nil && alertname == nil && state == nil && limit == nil) else {
                throw ValidationError("--since, --until, --alertname, --state and --limit need --history")
            }
            if history {
                let parameters: [String: String?] = [
                    "since": common.since ?? "24h", "until": common.until, "alertname": alertname, "state": state,
                    "limit": limit.map(String.init),
                ]
                let query: AlertHistoryQuery
                switch AlertHistoryParameters.parse({ parameters[$0] ?? nil }, now: Timestamp.now()) {
                case .success(let parsed): query = parsed
                case .failure(let invalid): throw ValidationError(invalid.message)
                }
                try await common.emit {
                    let body = try await AlertQueryClient.history(query, from: try common.source())
                    return format == .json ? String(decoding: body, as: UTF8.self) + "\n" : try AlertQueryClient.historyTable(body)
                }
            } else {
                try await common.emit {
                    let body = try await AlertQueryClient.alerts(from: try common.source())
                    return format == .json ? String(decoding: body, as: UTF8.self) + "\n" : try AlertQueryClient.alertsTable(body)
                }
            }
        }
    }

    struct RuleList: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules", abstract: "The loaded rules: health, state, alerts and last evaluation of each."
        )

        @OptionGroup var common: CommonQueryOptions

        func run() async throws {
            let format = try common.outputFormat()
            guard format == .json || format == .table else { throw ValidationError("--format must be table or json for rules") }
            try await common.emit {
                let body = try await AlertQueryClient.rules(from: try common.source())
                return format == .json ? String(decoding: body, as: UTF8.self) + "\n" : try AlertQueryClient.rulesTable(body)
            }
        }
    }
}

extension Query {
    struct Notifications: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Notifications in the outbox, newest first: receiver, group, alerts, attempts, last status and error."
        )

        @OptionGroup var common: CommonQueryOptions

        @Option(name: .long, help: "Only this delivery status: pending, retrying, delivered or dead.")
        var status: String?

        @Option(name: .long, help: "Only this receiver.")
        var receiver: String?

        @Option(name: .long, help: "At most this many, the newest (default 100).")
        var limit: Int?

        func run() async throws {
            let format = try common.outputFormat()
            guard format == .json || format == .table else { throw ValidationError("--format must be table or json for notifications") }
            let parameters: [String: String?] = [
                "since": common.since, "until": common.until, "status": status, "receiver": receiver, "limit": limit.map(String.init),
            ]
            let query: OutboxQuery
            switch NotificationQueryParameters.parse({ parameters[$0] ?? nil }, now: Timestamp.now()) {
            case .success(let parsed): query = parsed
            case .failure(let invalid): throw ValidationError(invalid.message)
            }
            try await common.emit {
                let body = try await NotificationClient.notifications(query, from: try common.source())
                return format == .json ? String(decoding: body, as: UTF8.self) + "\n" : try NotificationClient.notificationsTable(body)
            }
        }
    }
}
