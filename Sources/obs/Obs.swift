import ArgumentParser

@main
struct Obs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "obs",
        abstract: "An observability pipeline daemon: logs and spans in, SQLite, queries and alerts out.",
        subcommands: [Serve.self, Query.self, Rules.self, SilenceCommand.self, IncidentCommand.self, Bench.self]
    )
}
