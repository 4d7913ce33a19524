import ArgumentParser
import Foundation
import ObsCLI
import ObsCore
import ObsQuery

extension Query {
    struct SLOs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "slos",
            abstract: "Every SLO: objective, SLI over its window, budget left (and in minutes of full outage), burn rates, time to exhaustion."
        )

        @OptionGroup var common: CommonQueryOptions

        @Option(name: .long, help: "As at this instant instead of now (same forms as --since).")
        var at: String?

        @Option(name: .long, help: "With --db: the rule files that define the SLOs (default ./rules).")
        var rules: String = "./rules"

        func run() async throws {
            let format = try common.outputFormat()
            guard format == .json || format == .table else { throw ValidationError("--format must be table or json for slos") }
            guard common.until == nil else { throw ValidationError("slos has --at (the end) and --since, not --until") }
            let parameters = ["at": at, "since": common.since]
            let request: SLOReportRequest
            do {
                request = try SLOReportRequest.slos({ parameters[$0] ?? nil }, now: Timestamp.now())
            } catch {
                throw ValidationError(error.description)
            }
            try await common.emit {
                let body = try await SLOQueryClient.fetch(request, from: try common.source(), rulePaths: [rules])
                return format == .json ? String(decoding: body, as: UTF8.self) + "\n" : try SLOQueryClient.slosTable(body)
            }
        }
    }

    struct Availability: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Share of good requests per service (or route), and the minutes whose error rate was above the objective's allowance."
        )

        @OptionGroup var common: CommonQueryOptions

        @Option(name: .long, help: "service or route (default service).")
        var by: String?

        @Option(name: .long, help: "Judge minutes by this objective (99.9% or 0.999; default each service's errors SLO, else 99.9%).")
        var objective: String?

        @Option(name: .long, help: "With --db: the rule files that define the SLOs (default ./rules).")
        var rules: String = "./rules"

        func run() async throws {
            let format = try common.outputFormat()
            guard format == .json || format == .table else { throw ValidationError("--format must be table or json for availability") }
            let parameters = ["since": common.since ?? "30d", "until": common.until, "by": by, "objective": objective]
            let request: SLOReportRequest
            do {
                request = try SLOReportRequest.availability({ parameters[$0] ?? nil }, now: Timestamp.now())
            } catch {
                throw ValidationError(error.description)
            }
            try await common.emit {
                let body = try await SLOQueryClient.fetch(request, from: try common.source(), rulePaths: [rules])
                return format == .json ? String(decoding: body, as: UTF8.self) + "\n" : try SLOQueryClient.availabilityTable(body)
            }
        }
    }
}
