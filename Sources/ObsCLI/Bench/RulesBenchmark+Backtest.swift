import Foundation
import ObsAggregate
import ObsCore
import ObsStorage

/// Part 4: `obs rules test --db` — 50 rules over a day of rollups, timed end to end through
/// `RuleBacktestClient` (it loads and checks the rules and opens the file read-only).
extension RulesBenchmark {
    struct BacktestResult {
        var databasePath: String
        /// nil: `--db` (not built in this run).
        var built: QueryBenchmark.BuiltDay?
        var buildSeconds: Double?
        var rollupBytes: Int?
        var since: Timestamp
        var until: Timestamp
        var ruleCount: Int
        var seconds: Double
        var evaluations: Int
        var failedEvaluations: Int
        var episodes: Int
        var pendingOnly: Int
        var lastError: String?

        var evaluationsPerSecond: Double { seconds > 0 ? Double(evaluations) / seconds : 0 }
    }

    func measureBacktest(workDirectory: String) async throws(CLIError) -> BacktestResult {
        var day: QueryBenchmark.BuiltDay?
        var buildSeconds: Double?
        var rollupBytes: Int?
        let path: String
        let since: Int64, until: Int64
        var queryOptions = QueryBenchmark.Options()
        queryOptions.observations = options.observations
        queryOptions.services = options.services
        queryOptions.routes = options.routes
        queryOptions.hours = options.hours
        let builder = QueryBenchmark(options: queryOptions, progress: progress)
        let layout = builder.dayLayout()
        if let existing = options.existingDatabase {
            path = existing
            let database = try ReadOnlyStore.open(path)
            defer { try? database.close() }
            until = try await ReadOnlyStore.rollupsEnd(database, path: path)
            since = until - Int64(options.hours) * 3600
        } else {
            let directory = workDirectory + "/backtest"
            do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw CLIError("cannot create \(directory): \(error)")
            }
            path = directory + "/obs.db"
            progress("4. building the day of rollups as obs bench query does (\(options.observations) requests, \(options.services) services × \(options.routes) routes, \(options.hours) h ending now)…")
            let started = DispatchTime.now().uptimeNanoseconds
            let database: ObsDatabase
            do { database = try ObsDatabase.open(at: path) } catch { throw CLIError("\(error)") }
            var generator = LoadGenerator(seed: 42, routes: options.routes)
            let store = SQLiteRollupStore(database: database, merger: LatencySketch.mergeEncoded)
            do {
                day = try await builder.aggregateDay(layout, generator: &generator, into: store)
                rollupBytes = try? await database.rollupFootprint().bytes
                try database.close()
            } catch {
                try? database.close()
                throw CLIError("building the day: \(error)")
            }
            day?.checkoutLatencies = []
            buildSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            (since, until) = (layout.start, layout.end)
        }

        let rulesDirectory = workDirectory + "/rules-backtest"
        let rules = try await BenchRuleFiles.write(BenchRuleFiles.backtestGroups(services: layout.services), to: rulesDirectory, file: "backtest.yaml")
        progress("4. obs rules test --rules \(rulesDirectory) --db \(path) --since … --until … (\(rules.summary))…")
        let tenths = Tally(0)
        let progress = self.progress
        let started = DispatchTime.now().uptimeNanoseconds
        let report = try await RuleBacktestClient.run(
            rulePaths: [rulesDirectory], source: .database(path: path),
            since: Timestamp(nanoseconds: since * 1_000_000_000), until: Timestamp(nanoseconds: until * 1_000_000_000), rule: nil,
            externalURL: "http://127.0.0.1:4318",
            progress: { fraction in
                let tenth = Int(fraction * 10)
                if tenths.state.withLock({ value in defer { value = max(value, tenth) }; return tenth > value }) {
                    progress("  \(tenth * 10) %")
                }
            }
        )
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return BacktestResult(
            databasePath: path, built: day, buildSeconds: buildSeconds, rollupBytes: rollupBytes,
            since: report.since, until: report.until, ruleCount: rules.ruleCount, seconds: seconds,
            evaluations: report.summary.reduce(0) { $0 + $1.evaluations },
            failedEvaluations: report.summary.reduce(0) { $0 + $1.failedEvaluations },
            episodes: report.summary.reduce(0) { $0 + $1.episodes },
            pendingOnly: report.summary.reduce(0) { $0 + $1.pendingOnly },
            lastError: report.summary.compactMap(\.lastError).first
        )
    }
}
