import Foundation
import ObsCore
import Yams

extension ObsConfig {
    /// Loads a YAML file over the defaults. Reports every problem at once — unknown keys,
    /// wrong types, bad values — with file, line, column and the dotted key.
    public static func load(file path: String) throws(ConfigError) -> ObsConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(problems: [.init(location: path, key: "(file)", reason: "cannot be read: \(error.localizedDescription)")])
        }
        return try parse(yaml: text, file: path)
    }

    public static func parse(yaml: String, file: String) throws(ConfigError) -> ObsConfig {
        var config = ObsConfig()
        var walker = ConfigWalker(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw ConfigError(problems: [.init(location: file, key: "(file)", reason: "is not valid YAML: \(Self.describe(error))")])
        } catch {
            throw ConfigError(problems: [.init(location: file, key: "(file)", reason: "is not valid YAML: \(error)")])
        }
        if let root {
            walker.mapping(root, path: "") { key, value, walker in
                switch key {
                case "http": walker.hostPort(value, path: key) { config.http = $0 }
                case "udp": walker.hostPort(value, path: key) { config.udp = $0 }
                case "data_dir": walker.string(value, path: key) { config.dataDir = $0 }
                case "retention":
                    walker.mapping(value, path: key) { key, value, walker in
                        switch key {
                        case "logs": walker.duration(value, path: "retention.logs") { config.retention.logs = $0 }
                        case "spans": walker.duration(value, path: "retention.spans") { config.retention.spans = $0 }
                        case "rollups_10s": walker.duration(value, path: "retention.rollups_10s") { config.retention.rollups10s = $0 }
                        case "rollups_1m": walker.duration(value, path: "retention.rollups_1m") { config.retention.rollups1m = $0 }
                        case "rollups_1h": walker.duration(value, path: "retention.rollups_1h") { config.retention.rollups1h = $0 }
                        default: walker.unknown(value, path: "retention.\(key)")
                        }
                    }
                case "limits":
                    walker.mapping(value, path: key) { key, value, walker in
                        switch key {
                        case "max_body_bytes": walker.size(value, path: "limits.max_body_bytes") { config.limits.maxBodyBytes = $0 }
                        case "max_line_bytes": walker.size(value, path: "limits.max_line_bytes") { config.limits.maxLineBytes = $0 }
                        case "queue_events": walker.integer(value, path: "limits.queue_events") { config.limits.queueEvents = $0 }
                        case "series": walker.integer(value, path: "limits.series") { config.limits.series = $0 }
                        case "services": walker.integer(value, path: "limits.services") { config.limits.services = $0 }
                        default: walker.unknown(value, path: "limits.\(key)")
                        }
                    }
                case "auth":
                    walker.mapping(value, path: key) { key, value, walker in
                        switch key {
                        case "ingest_tokens_env": walker.string(value, path: "auth.ingest_tokens_env") { config.auth.ingestTokensEnv = $0 }
                        case "query_tokens_env": walker.string(value, path: "auth.query_tokens_env") { config.auth.queryTokensEnv = $0 }
                        default: walker.unknown(value, path: "auth.\(key)")
                        }
                    }
                case "aggregate":
                    walker.mapping(value, path: key) { key, value, walker in
                        switch key {
                        case "enabled": walker.boolean(value, path: "aggregate.enabled") { config.aggregate.enabled = $0 }
                        case "grace": walker.duration(value, path: "aggregate.grace") { config.aggregate.grace = $0 }
                        case "request_logs":
                            walker.choice(value, path: "aggregate.request_logs", among: ["auto", "always", "never"]) { config.aggregate.requestLogs = $0 }
                        default: walker.unknown(value, path: "aggregate.\(key)")
                        }
                    }
                case "receivers", "rules", "dashboards":
                    walker.unsupported(value, path: key)
                default: walker.unknown(value, path: key)
                }
            }
        }
        var problems = walker.problems
        if problems.isEmpty {
            problems = config.validate().map { problem in
                var located = problem
                located.location = file
                return located
            }
        }
        guard problems.isEmpty else { throw ConfigError(problems: problems) }
        return config
    }

    /// Applies `OBS_HTTP`, `OBS_UDP` and `OBS_DATA_DIR`.
    public mutating func applyEnvironment(_ environment: [String: String]) throws(ConfigError) {
        var problems: [ConfigError.Problem] = []
        if let value = environment["OBS_HTTP"] {
            if let parsed = HostPort(parsing: value) { http = parsed } else {
                problems.append(.init(location: "environment", key: "OBS_HTTP", reason: "\"\(value)\" is not HOST:PORT"))
            }
        }
        if let value = environment["OBS_UDP"] {
            if let parsed = HostPort(parsing: value) { udp = parsed } else {
                problems.append(.init(location: "environment", key: "OBS_UDP", reason: "\"\(value)\" is not HOST:PORT"))
            }
        }
        if let value = environment["OBS_DATA_DIR"] { dataDir = value }
        guard problems.isEmpty else { throw ConfigError(problems: problems) }
    }

    private static func describe(_ error: YamlError) -> String {
        "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
    }
}

/// Walks YAML nodes, collecting problems instead of stopping at the first.
struct ConfigWalker {
    let file: String
    var problems: [ConfigError.Problem] = []

    func location(_ node: Node) -> String {
        guard let mark = node.mark else { return file }
        return "\(file):\(mark.line):\(mark.column)"
    }

    mutating func problem(_ node: Node, _ path: String, _ reason: String) {
        problems.append(.init(location: location(node), key: path, reason: reason))
    }

    mutating func mapping(_ node: Node, path: String, _ each: (String, Node, inout ConfigWalker) -> Void) {
        guard let mapping = node.mapping else {
            if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" { return }
            problem(node, path.isEmpty ? "(top level)" : path, "expected a mapping of keys to values")
            return
        }
        for (key, value) in mapping {
            guard let name = key.string else {
                problem(key, path, "keys must be strings")
                continue
            }
            each(name, value, &self)
        }
    }

    mutating func scalar(_ node: Node, path: String) -> String? {
        guard case .scalar(let scalar) = node else {
            problem(node, path, "expected a single value, not a \(node.mapping != nil ? "mapping" : "list")")
            return nil
        }
        return scalar.string
    }

    mutating func string(_ node: Node, path: String, _ set: (String) -> Void) {
        if let text = scalar(node, path: path) { set(text) }
    }

    mutating func hostPort(_ node: Node, path: String, _ set: (HostPort) -> Void) {
        guard let text = scalar(node, path: path) else { return }
        guard let parsed = HostPort(parsing: text) else {
            problem(node, path, "\"\(text)\" is not HOST:PORT (e.g. 127.0.0.1:4318; port 0 picks a free port)")
            return
        }
        set(parsed)
    }

    mutating func duration(_ node: Node, path: String, _ set: (Duration) -> Void) {
        guard let text = scalar(node, path: path) else { return }
        guard let parsed = DurationText.duration(text) else {
            problem(node, path, "\"\(text)\" is not a duration (e.g. 30s, 15m, 12h, 7d)")
            return
        }
        set(parsed)
    }

    mutating func size(_ node: Node, path: String, _ set: (Int) -> Void) {
        guard let text = scalar(node, path: path) else { return }
        guard let parsed = ByteSize.bytes(text), parsed > 0 else {
            problem(node, path, "\"\(text)\" is not a size (e.g. 8MiB, 512KiB, 1048576)")
            return
        }
        set(parsed)
    }

    mutating func integer(_ node: Node, path: String, _ set: (Int) -> Void) {
        guard let text = scalar(node, path: path) else { return }
        guard let parsed = Int(text.replacingOccurrences(of: "_", with: "")) else {
            problem(node, path, "\"\(text)\" is not a whole number")
            return
        }
        set(parsed)
    }

    mutating func boolean(_ node: Node, path: String, _ set: (Bool) -> Void) {
        guard let text = scalar(node, path: path) else { return }
        switch text.lowercased() {
        case "true", "yes", "on": set(true)
        case "false", "no", "off": set(false)
        default: problem(node, path, "\"\(text)\" is not true or false")
        }
    }

    mutating func choice(_ node: Node, path: String, among choices: [String], _ set: (String) -> Void) {
        guard let text = scalar(node, path: path) else { return }
        guard choices.contains(text) else {
            problem(node, path, "\"\(text)\" is not one of \(choices.joined(separator: ", "))")
            return
        }
        set(text)
    }

    mutating func unknown(_ node: Node, path: String) {
        problem(node, path, "unknown key")
    }

    mutating func unsupported(_ node: Node, path: String) {
        problem(node, path, "is not supported by this version of obs yet")
    }
}
