import Foundation
import ObsAggregate
import ObsCore
import ObsQuery
import ObsRules
import ObsStorage

/// `obs query slos` and `obs query availability`: the daemon's `/api/v1/slos` and
/// `/api/v1/availability`, or the SQLite file itself (`--db`, with the SLOs of the rule
/// files at `--rules`: the file holds data, not definitions).
public enum SLOQueryClient {
    public static func fetch(_ request: SLOReportRequest, from source: LogSource, rulePaths: [String]) async throws(CLIError) -> [UInt8] {
        switch source {
        case .database(let path):
            let catalog = try await SLOCatalogLoader.load(rulePaths)
            let database = try ReadOnlyStore.open(path)
            defer { try? database.close() }
            let store = SQLiteRollupStore(database: database, merger: LatencySketch.mergeEncoded)
            do {
                return try await QueryEvaluator(source: RollupQuerySource(reader: store, aggregator: nil), slos: catalog).report(request).bytes
            } catch {
                throw CLIError(error.description)
            }
        case .api(let base, let token):
            switch request {
            case .slos(let at, let since):
                var items = [URLQueryItem(name: "at", value: at.rfc3339)]
                if let since { items.append(.init(name: "since", value: since.rfc3339)) }
                return try await HTTPGet.body(try APIURL.make(base, path: "api/v1/slos", items), token: token)
            case .availability(let since, let until, let grouping, let objective):
                var items = [URLQueryItem(name: "since", value: since.rfc3339), .init(name: "until", value: until.rfc3339),
                             .init(name: "by", value: grouping.rawValue)]
                if let objective { items.append(.init(name: "objective", value: String(objective))) }
                return try await HTTPGet.body(try APIURL.make(base, path: "api/v1/availability", items), token: token)
            }
        }
    }

    // MARK: - Tables

    /// One line per SLO: objective, SLI, budget left (and in minutes), burn rates, exhaustion.
    public static func slosTable(_ body: [UInt8]) throws(CLIError) -> String {
        let items = try AlertQueryClient.data(body, "slos")
        guard !items.isEmpty else { return "no slos (add slos: to a rule file)\n" }
        var rows = [["SLO", "SERVICE", "OBJECTIVE", "SLI", "BUDGET LEFT", "MINUTES LEFT", "BURN 5m", "1h", "6h", "3d", "EXHAUSTED IN"]]
        for item in items {
            let burn = item["burn_rate"] as? [String: Any] ?? [:]
            rows.append([
                item["name"] as? String ?? "", item["service"] as? String ?? "",
                percent(item["objective"]), percent(item["sli_value"], digits: 3), percent(item["budget_remaining"], digits: 1),
                number(item["budget_remaining_minutes"], digits: 1),
                number(burn["5m"], digits: 2), number(burn["1h"], digits: 2), number(burn["6h"], digits: 2), number(burn["3d"], digits: 2),
                (item["exhausted_in_s"] as? Double).map { DurationText.text(.seconds(Int64($0.rounded()))) } ?? "—",
            ])
        }
        return table(rows)
    }

    /// One line per service (or route): requests, errors, availability, minutes over the allowance.
    public static func availabilityTable(_ body: [UInt8]) throws(CLIError) -> String {
        let items = try AlertQueryClient.data(body, "rows")
        guard !items.isEmpty else { return "no requests in the period\n" }
        let byRoute = items.contains { $0["route"] != nil }
        var rows = [["SERVICE"] + (byRoute ? ["ROUTE"] : []) + ["REQUESTS", "ERRORS", "AVAILABILITY", "OBJECTIVE", "MINUTES", "MINUTES OVER"]]
        for item in items {
            rows.append([item["service"] as? String ?? ""] + (byRoute ? [item["route"] as? String ?? ""] : []) + [
                number(item["requests"]), number(item["errors"]), percent(item["availability"], digits: 3), percent(item["objective"]),
                number(item["minutes"]), number(item["minutes_above_allowance"]),
            ])
        }
        return table(rows)
    }

    private static func percent(_ value: Any?, digits: Int? = nil) -> String {
        guard let value = value as? Double else { return "—" }
        if let digits { return String(format: "%.\(digits)f %%", value * 100) }
        return Expression.format((value * 100 * 1e6).rounded() / 1e6) + " %"
    }

    private static func number(_ value: Any?, digits: Int = 0) -> String {
        guard let value = value as? Double else { return (value as? Int).map(String.init) ?? "—" }
        return digits == 0 && value == value.rounded() ? String(Int64(value)) : String(format: "%.\(digits)f", value)
    }

    private static func table(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}

/// The SLOs of rule files, for the commands that read a SQLite file directly.
public enum SLOCatalogLoader {
    /// A missing default `./rules` is no SLOs; invalid files are the command's error.
    public static func load(_ paths: [String]) async throws(CLIError) -> SLOCatalog {
        let existing = paths.filter { FileManager.default.fileExists(atPath: $0) || $0 != "./rules" }
        guard !existing.isEmpty else { return SLOCatalog() }
        switch await RuleSetLoader.load(paths: existing) {
        case .success(let rules): return SLOCatalog(rules.slos.map(\.definition))
        case .failure(let error): throw CLIError("the rule files are invalid:\n\(error)")
        }
    }
}
