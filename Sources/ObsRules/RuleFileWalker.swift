import ObsCore
import Yams

/// Group and SLO names must be unique across every file loaded together; this remembers
/// where each was first written.
struct RuleNameRegistry {
    var groups: [String: RuleLocation] = [:]
    var slos: [String: RuleLocation] = [:]
}

/// Walks the Yams nodes of one rule file, building specs and collecting every problem
/// instead of stopping at the first.
struct RuleFileWalker {
    /// A key of a mapping with its value; problems about the value point at the key.
    struct Field {
        let name: String
        let key: Node
        let value: Node
    }

    let file: String
    var names: RuleNameRegistry
    var problems: [RuleProblem] = []

    init(file: String, names: RuleNameRegistry) {
        self.file = file
        self.names = names
    }

    // MARK: - Locations and problems

    func location(_ node: Node) -> RuleLocation {
        guard let mark = node.mark else { return RuleLocation(file: file, line: 1, column: 1) }
        return RuleLocation(file: file, line: mark.line, column: mark.column)
    }

    mutating func problem(_ node: Node, _ context: String?, _ message: String) {
        problem(at: location(node), context, message)
    }

    mutating func problem(at location: RuleLocation, _ context: String?, _ message: String) {
        problems.append(RuleProblem(location: location, context: context, message: message))
    }

    mutating func unknown(_ field: Field, _ context: String?, allowed: [String]) {
        problem(field.key, context, "unknown key \(Self.quote(field.name)) (keys: \(allowed.joined(separator: ", ")))")
    }

    /// `"5x"`, with quotes, backslashes and line breaks escaped so a message stays on one line.
    static func quote(_ text: String) -> String { text.debugDescription }

    // MARK: - Node kinds

    static func kind(_ node: Node) -> String {
        switch node {
        case .scalar: "a single value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// A plain `~`, `null` or nothing at all.
    static func isNull(_ node: Node) -> Bool {
        guard case .scalar = node else { return false }
        return node.tag.rawValue == Tag.Name.null.rawValue
    }

    /// The text of a single value (empty for null) without reporting anything.
    static func peekText(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node else { return nil }
        return isNull(node) ? "" : scalar.string
    }

    /// `name: "checkout"` → `"checkout"` when the mapping has a usable (non-blank text) value for `key`.
    static func peekName(_ node: Node, key: String) -> String? {
        guard let mapping = node.mapping else { return nil }
        for (keyNode, value) in mapping where peekText(keyNode) == key {
            guard let text = peekText(value), !isBlank(text) else { return nil }
            return text
        }
        return nil
    }

    static func isBlank(_ text: String) -> Bool {
        text.allSatisfy { $0.isWhitespace }
    }

    private static func prefix(_ field: String?) -> String {
        field.map { "\($0): " } ?? ""
    }

    /// The fields of a mapping; nil (reported at `at`) when the node is not a mapping, none for null.
    mutating func fields(_ node: Node, field: String?, at: Node, _ context: String?) -> [Field]? {
        guard let mapping = node.mapping else {
            if Self.isNull(node) { return [] }
            problem(at, context, "\(Self.prefix(field))expected a mapping, not \(Self.kind(node))")
            return nil
        }
        var result: [Field] = []
        var seen: [String: RuleLocation] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                problem(key, context, "\(Self.prefix(field))keys must be text, not \(Self.kind(key))")
                continue
            }
            // Yams refuses repeated keys unless they differ in YAML type (`true:` and `"true":`).
            if let first = seen[scalar.string] {
                problem(key, context, "\(Self.prefix(field))key \(Self.quote(scalar.string)) appears twice (first at \(first))")
                continue
            }
            seen[scalar.string] = location(key)
            result.append(Field(name: scalar.string, key: key, value: value))
        }
        return result
    }

    /// The items of a list; nil (reported at `at`) when the node is not a list, none for null.
    mutating func items(_ node: Node, field: String?, at: Node, _ context: String?) -> [Node]? {
        guard let sequence = node.sequence else {
            if Self.isNull(node) { return [] }
            problem(at, context, "\(Self.prefix(field))expected a list, not \(Self.kind(node))")
            return nil
        }
        return Array(sequence)
    }

    // MARK: - Values

    /// The text of a single value (numbers and booleans as written, empty for null).
    mutating func text(_ field: Field, _ context: String?) -> String? {
        guard let text = Self.peekText(field.value) else {
            problem(field.key, context, "\(field.name): expected a single value, not \(Self.kind(field.value))")
            return nil
        }
        return text
    }

    /// Text that must not be blank; blank text is reported and still returned.
    mutating func nonEmptyText(_ field: Field, _ context: String?) -> String? {
        guard let text = text(field, context) else { return nil }
        if Self.isBlank(text) { problem(field.key, context, "\(field.name): must not be empty") }
        return text
    }

    /// A duration with a unit, at least 0 (and more than 0 when `positive`).
    mutating func duration(_ field: Field, _ context: String?, positive: Bool) -> Duration? {
        guard let text = text(field, context) else { return nil }
        guard let duration = DurationText.duration(text) else {
            problem(field.key, context, "\(field.name): \(Self.quote(text)) is not a duration (e.g. 30s, 5m, 1h)")
            return nil
        }
        if positive, duration <= .zero {
            problem(field.key, context, "\(field.name): \(Self.quote(text)) must be more than 0")
            return nil
        }
        return duration
    }

    enum LabelKind {
        case groupLabels, ruleLabels, annotations
    }

    /// A mapping of label (or annotation) names to text values, with where each name was written.
    mutating func labels(_ field: Field, _ context: String?, kind: LabelKind) -> (values: [String: String], locations: [String: RuleLocation]) {
        var values: [String: String] = [:]
        var locations: [String: RuleLocation] = [:]
        guard let entries = fields(field.value, field: field.name, at: field.key, context) else { return ([:], [:]) }
        let noun = kind == .annotations ? "annotation" : "label"
        for entry in entries {
            let name = entry.name
            if !Self.isLabelName(name) {
                problem(entry.key, context, "\(field.name): \(Self.quote(name)) is not a valid \(noun) name (must match [a-zA-Z_][a-zA-Z0-9_]*)")
            } else if name.hasPrefix("__") {
                problem(entry.key, context, "\(field.name): \(Self.quote(name)) is reserved (names starting with __ are internal)")
            } else if name == "alertname", kind != .annotations {
                problem(entry.key, context, "\(field.name): alertname is set by alert:")
            }
            guard let value = Self.peekText(entry.value) else {
                problem(entry.key, context, "\(field.name).\(name): expected a single value, not \(Self.kind(entry.value))")
                continue
            }
            values[name] = value
            locations[name] = location(entry.key)
        }
        return (values, locations)
    }

    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first else { return false }
        func isLetter(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
        }
        return isLetter(first) && name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }

    // MARK: - The file

    static let fileKeys = ["groups", "slos"]

    mutating func walk(root: Node?) -> RuleFileSpec {
        var spec = RuleFileSpec(path: file)
        guard let root, let entries = fields(root, field: nil, at: root, nil) else { return spec }
        for entry in entries {
            switch entry.name {
            case "groups":
                guard let list = items(entry.value, field: entry.name, at: entry.key, nil) else { continue }
                for (offset, node) in list.enumerated() {
                    if let group = group(node, index: offset + 1) { spec.groups.append(group) }
                }
            case "slos":
                guard let list = items(entry.value, field: entry.name, at: entry.key, nil) else { continue }
                for (offset, node) in list.enumerated() {
                    if let slo = slo(node, index: offset + 1) { spec.slos.append(slo) }
                }
            default:
                unknown(entry, nil, allowed: Self.fileKeys)
            }
        }
        return spec
    }
}
