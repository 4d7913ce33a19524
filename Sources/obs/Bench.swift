import ArgumentParser

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure obs on this machine (build with -c release).",
        subcommands: []
    )
}
