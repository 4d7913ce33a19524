import Foundation

/// How list commands print: a table for people, JSON/NDJSON/CSV for programs.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, ndjson, csv

    /// A table on a terminal, JSON when piped.
    public static var automatic: OutputFormat {
        isatty(STDOUT_FILENO) != 0 ? .table : .json
    }
}
