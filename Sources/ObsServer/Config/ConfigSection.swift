import Yams

/// A section of `obs.yaml` owned by one subsystem: it reads its own keys (reporting unknown
/// ones and bad values through the walker) and checks what the keys alone cannot. Adding a
/// subsystem's configuration is a new section type and one entry in `ObsConfig.keys`.
protocol ConfigSection: Sendable, Equatable {
    /// Reads the section's mapping; `path` is its dotted key (`retention`).
    mutating func read(_ node: Node, path: String, walker: inout ConfigWalker)
    /// Problems of the values read, each keyed by its full dotted key.
    func validate() -> [ConfigError.Problem]
}

extension ConfigSection {
    func validate() -> [ConfigError.Problem] { [] }
}
