import ArgumentParser
import Foundation
import ObsCLI
import ObsCore

/// `obs silence add|list|expire`: silences mute matching alerts' notifications for a while;
/// the alerts stay visible (as `suppressed`).
struct SilenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "silence",
        abstract: "Mute notifications of matching alerts for a while.",
        subcommands: [Add.self, List.self, Expire.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a silence; prints its id.")

        @Option(name: .long, help: "A label matcher: name=value, name!=value, name=~regex, name!~regex (repeatable; all must match).")
        var match: [String] = []

        @Option(name: .customLong("for"), help: "How long the silence lasts (30m, 2h, 1d).")
        var duration: String

        @Option(name: .long, help: "Why (shown in obs silence list).")
        var comment: String = ""

        @Option(name: .long, help: "Who (default: $USER).")
        var author: String?

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            guard !match.isEmpty else { throw ValidationError("at least one --match is required") }
            guard let parsed = DurationText.duration(duration) else {
                throw ValidationError("--for \"\(duration)\" is not a duration (e.g. 30m, 2h)")
            }
            guard parsed > .zero else { throw ValidationError("--for must be longer than 0s") }
            let author = author ?? ProcessInfo.processInfo.environment["USER"] ?? ""
            try await connection.emit {
                let silence = try await NotificationClient.addSilence(
                    matchers: match, duration: parsed, comment: comment, author: author, base: try connection.baseURL(),
                    token: connection.resolvedToken
                )
                return (silence["id"] as? String ?? "") + "\n"
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every silence, newest first (expired ones too).")

        @OptionGroup var common: CommonQueryOptions

        func run() async throws {
            let format = try common.outputFormat()
            guard format == .json || format == .table else { throw ValidationError("--format must be table or json for silences") }
            try await common.emit {
                let body = try await NotificationClient.silences(from: try common.source())
                return format == .json ? String(decoding: body, as: UTF8.self) + "\n" : try NotificationClient.silencesTable(body)
            }
        }
    }

    struct Expire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a silence now.")

        @Argument(help: "The silence's id (from obs silence add or list).")
        var id: String

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await connection.emit {
                let silence = try await NotificationClient.expireSilence(id: id, base: try connection.baseURL(),
                                                                         token: connection.resolvedToken)
                return "expired \(silence["id"] as? String ?? id)\n"
            }
        }
    }
}

/// The daemon to talk to, for commands that change something (no --db).
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "Daemon URL (env OBS_URL, default http://127.0.0.1:4318).")
    var url: String?

    @Option(name: .long, help: "Bearer token for a daemon that requires one (env OBS_TOKEN).")
    var token: String?

    var resolvedToken: String? { token ?? ProcessInfo.processInfo.environment["OBS_TOKEN"] }

    func baseURL() throws -> URL { try daemonURL(url) }

    func emit(_ produce: () async throws -> String) async throws {
        try await emitOutput(produce)
    }
}
