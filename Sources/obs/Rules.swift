import ArgumentParser
import Foundation
import ObsCLI
import ObsCore
import ObsRules

struct Rules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check alert rule files, and test them on stored history.",
        subcommands: [Check.self, Test.self]
    )
}

extension Rules {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate rule files: syntax, durations, expressions, templates, names. Every problem, then exit 1.",
            discussion: "With no paths: ./rules. A directory means its *.yaml and *.yml files."
        )

        @Argument(help: "Rule files or directories (default ./rules).")
        var paths: [String] = []

        func run() async throws {
            let paths = self.paths.isEmpty ? ["./rules"] : self.paths
            switch await RuleSetLoader.load(paths: paths) {
            case .success(let rules):
                print("\(rules.summary): ok")
            case .failure(let error):
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                let count = error.problems.count
                FileHandle.standardError.write(Data("obs: \(count) problem\(count == 1 ? "" : "s") in the rule files\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}

extension Rules {
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run stored history through rules in event time and print every alert episode that would have happened.",
            discussion: """
                Sends nothing and changes nothing. --db reads the SQLite file (read-only, daemon up or down);
                --url asks a daemon's query API. --rules may name files the daemon does not load (a candidate rule).
                """
        )

        @Option(name: .long, help: "Rule files or a directory (default ./rules).")
        var rules: String = "./rules"

        @Option(name: .long, help: "Read this SQLite file (obs-data/obs.db) instead of asking a daemon.")
        var db: String?

        @Option(name: .long, help: "Daemon URL (env OBS_URL, default http://127.0.0.1:4318).")
        var url: String?

        @Option(name: .long, help: "Bearer token for a daemon that requires one (env OBS_TOKEN).")
        var token: String?

        @Option(name: .long, help: "Start: RFC 3339, epoch seconds, or a duration ago (default 24h).")
        var since: String = "24h"

        @Option(name: .long, help: "End (exclusive), same forms (default now).")
        var until: String = "now"

        @Option(name: .long, help: "Only the rules with this alert name.")
        var rule: String?

        @Option(name: .long, help: "table, json or ndjson (default: table on a terminal, json when piped).")
        var format: String?

        @Option(name: .customLong("external-url"), help: "The URL {{ $externalURL }} renders as.")
        var externalURL: String = "http://127.0.0.1:4318"

        func run() async throws {
            let now = Timestamp.now()
            guard let start = Timestamp.parseQueryTime(since, now: now) else {
                throw ValidationError("--since \"\(since)\" is not a time (RFC 3339, epoch seconds, or a duration ago such as 24h)")
            }
            guard let end = Timestamp.parseQueryTime(until, now: now) else {
                throw ValidationError("--until \"\(until)\" is not a time (RFC 3339, epoch seconds, or a duration ago such as 1h)")
            }
            let output: OutputFormat = try format.map { text in
                guard let parsed = OutputFormat(rawValue: text), parsed != .csv else {
                    throw ValidationError("--format must be one of table, json, ndjson")
                }
                return parsed
            } ?? .automatic
            let source: LogSource
            if let db {
                guard url == nil else { throw ValidationError("give --db or --url, not both") }
                source = .database(path: db)
            } else {
                let text = url ?? ProcessInfo.processInfo.environment["OBS_URL"] ?? "http://127.0.0.1:4318"
                guard let parsed = URL(string: text), parsed.scheme == "http" || parsed.scheme == "https" else {
                    throw ValidationError("--url \"\(text)\" is not an http(s) URL")
                }
                source = .api(parsed, token: token ?? ProcessInfo.processInfo.environment["OBS_TOKEN"])
            }
            let terminal = isatty(STDERR_FILENO) != 0
            let progress: @Sendable (Double) -> Void = { fraction in
                guard terminal else { return }
                FileHandle.standardError.write(Data("\rrules test: \(Int(fraction * 100)) %".utf8))
                if fraction >= 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            }
            do {
                let report = try await RuleBacktestClient.run(rulePaths: [rules], source: source, since: start, until: end, rule: rule,
                                                              externalURL: externalURL, progress: progress)
                FileHandle.standardOutput.write(Data(BacktestPrinter.render(report, as: output).utf8))
            } catch {
                FileHandle.standardError.write(Data("obs: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
