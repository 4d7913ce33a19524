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
                guard let read = keys[key] else {
                    walker.unknown(value, path: key)
                    return
                }
                read(&config, value, &walker)
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

    /// The top-level keys and who reads each: a scalar here, or a subsystem's section.
    static let keys: [String: @Sendable (inout ObsConfig, Node, inout ConfigWalker) -> Void] = [
        "http": { config, node, walker in walker.hostPort(node, path: "http") { config.http = $0 } },
        "udp": { config, node, walker in walker.hostPort(node, path: "udp") { config.udp = $0 } },
        "data_dir": { config, node, walker in walker.string(node, path: "data_dir") { config.dataDir = $0 } },
        "rules": { config, node, walker in walker.string(node, path: "rules") { config.rules.path = $0 } },
        "external_url": { config, node, walker in walker.string(node, path: "external_url") { config.rules.externalURL = $0 } },
        "retention": { config, node, walker in config.retention.read(node, path: "retention", walker: &walker) },
        "limits": { config, node, walker in config.limits.read(node, path: "limits", walker: &walker) },
        "auth": { config, node, walker in config.auth.read(node, path: "auth", walker: &walker) },
        "aggregate": { config, node, walker in config.aggregate.read(node, path: "aggregate", walker: &walker) },
        "receivers": { config, node, walker in config.notifications.readReceivers(node, walker: &walker) },
        "route": { config, node, walker in config.notifications.readRoute(node, walker: &walker) },
        "inhibit_rules": { config, node, walker in config.notifications.readInhibitRules(node, walker: &walker) },
        "incidents": { config, node, walker in config.incidents.read(node, path: "incidents", walker: &walker) },
        "scrape": { _, node, walker in walker.unsupported(node, path: "scrape") },
        "dashboards": { _, node, walker in walker.unsupported(node, path: "dashboards") },
    ]

    /// Applies `OBS_HTTP`, `OBS_UDP`, `OBS_DATA_DIR`, `OBS_RULES` and `OBS_EXTERNAL_URL`.
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
        if let value = environment["OBS_RULES"] { rules.path = value }
        if let value = environment["OBS_EXTERNAL_URL"] { rules.externalURL = value }
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
