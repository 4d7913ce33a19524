/// Everything wrong with a configuration, each problem as `file:line:column: key: reason`.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var location: String
        public var key: String
        public var reason: String

        public var description: String {
            location.isEmpty ? "\(key): \(reason)" : "\(location): \(key): \(reason)"
        }
    }

    public var problems: [Problem]

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
