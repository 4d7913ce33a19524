import ArgumentParser
import Foundation
import ObsCLI
import ObsCore
import ObsIncidents
import ObsStorage

/// `obs incident ack|resolve|note ID`: what the person on call does with an incident.
struct IncidentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident",
        abstract: "Acknowledge, resolve or annotate an incident.",
        subcommands: [Ack.self, Resolve.self, Note.self]
    )

    struct Ack: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Acknowledge an incident (again is fine: the first one counts).")
        @Argument(help: "The incident's id.") var id: Int64
        @Option(name: .long, help: "Who (default: $USER).") var by: String?
        @OptionGroup var connection: ConnectionOptions

        func run() async throws { try await IncidentCommand.act("ack", id: id, by: by, text: "", connection: connection) }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resolve an incident now.")
        @Argument(help: "The incident's id.") var id: Int64
        @Option(name: .long, help: "Who (default: $USER).") var by: String?
        @Option(name: .long, help: "What fixed it (goes on the timeline).") var text: String = ""
        @OptionGroup var connection: ConnectionOptions

        func run() async throws { try await IncidentCommand.act("resolve", id: id, by: by, text: text, connection: connection) }
    }

    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a note to an incident's timeline (at most 64 KiB).")
        @Argument(help: "The incident's id.") var id: Int64
        @Argument(help: "The note.") var text: String
        @Option(name: .long, help: "Who (default: $USER).") var by: String?
        @OptionGroup var connection: ConnectionOptions

        func run() async throws { try await IncidentCommand.act("notes", id: id, by: by, text: text, connection: connection) }
    }

    static func act(_ verb: String, id: Int64, by: String?, text: String, connection: ConnectionOptions) async throws {
        let person = by ?? ProcessInfo.processInfo.environment["USER"] ?? "anonymous"
        try await connection.emit {
            let body = try await IncidentClient.act(verb, id: id, by: person, text: text, base: try connection.baseURL(),
                                                    token: connection.resolvedToken)
            return try IncidentClient.incidentText(body)
        }
    }
}

extension Query {
    struct Incidents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Incidents, newest first; with an ID, that incident's timeline (with the time between steps) and figures."
        )

        @OptionGroup var common: CommonQueryOptions
        @Argument(help: "An incident's id.") var id: Int64?
        @Option(name: .long, help: "open, acknowledged or resolved.") var state: String?
        @Option(name: .long, help: "Only this service's incidents.") var service: String?
        @Option(name: .long, help: "At most this many (default 100).") var limit: Int = 100

        func run() async throws {
            let format = try common.outputFormat()
            guard format == .json || format == .table else { throw ValidationError("--format must be table or json for incidents") }
            if let state, IncidentState(rawValue: state) == nil {
                throw ValidationError("--state \"\(state)\" is not one of open, acknowledged, resolved")
            }
            let now = Timestamp.now()
            let since = try common.since.map { text in
                guard let time = Timestamp.parseQueryTime(text, now: now) else { throw ValidationError("--since \"\(text)\" is not a time") }
                return time
            }
            try await common.emit {
                if let id {
                    let body = try await IncidentClient.incident(id, from: try common.source())
                    return format == .json ? String(decoding: body, as: UTF8.self) + "\n" : try IncidentClient.incidentText(body)
                }
                let query = IncidentQuery(state: state, service: service, since: since, limit: limit)
                let body = try await IncidentClient.incidents(query, from: try common.source())
                return format == .json ? String(decoding: body, as: UTF8.self) + "\n" : try IncidentClient.incidentsTable(body)
            }
        }
    }

    struct MTTR: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mttr",
            abstract: "Count, mean, median and p90 of MTTD, MTTA, time to mitigate and MTTR, per service or per week (--since default 90d)."
        )

        @OptionGroup var common: CommonQueryOptions
        @Option(name: .long, help: "service or week (default service).") var by: String = "service"

        func run() async throws {
            let format = try common.outputFormat()
            guard format == .json || format == .table else { throw ValidationError("--format must be table or json for mttr") }
            guard let grouping = MTTRReport.Grouping(rawValue: by) else { throw ValidationError("--by must be service or week") }
            let text = common.since ?? "90d"
            guard let since = Timestamp.parseQueryTime(text, now: Timestamp.now()) else { throw ValidationError("--since \"\(text)\" is not a time") }
            try await common.emit {
                let body = try await IncidentClient.mttr(since: since, by: grouping, from: try common.source())
                return format == .json ? String(decoding: body, as: UTF8.self) + "\n" : try IncidentClient.mttrTable(body)
            }
        }
    }
}
