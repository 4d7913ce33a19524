import Foundation
import Yams

/// Loads Prometheus-style rule files (plus obs's `slos:`), reporting every problem at once,
/// each at the line and column of the key that is wrong.
///
/// Specs come back even when there are problems, so that later checks (expressions, templates)
/// can report theirs in the same pass; don't run anything while `problems` is not empty.
public enum RuleFileLoader {
    /// Loads every `*.yaml`/`*.yml` file of each directory (sorted by name, not recursive) and each file named. A missing path is a problem.
    public static func load(paths: [String]) -> (files: [RuleFileSpec], problems: [RuleProblem]) {
        var files: [RuleFileSpec] = []
        var problems: [RuleProblem] = []
        var names = RuleNameRegistry()
        var seen = Set<String>()
        for path in paths {
            for file in ruleFiles(at: path, problems: &problems) {
                guard seen.insert((file as NSString).standardizingPath).inserted else { continue }
                let data: Data
                do {
                    data = try Data(contentsOf: URL(fileURLWithPath: file))
                } catch {
                    problems.append(RuleProblem(file: file, message: "cannot be read: \(error.localizedDescription)"))
                    continue
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    problems.append(RuleProblem(file: file, message: "is not UTF-8 text"))
                    continue
                }
                let parsed = parse(yaml: text, file: file, names: &names)
                files.append(parsed.file)
                problems += parsed.problems
            }
        }
        return (files, problems)
    }

    public static func parse(yaml: String, file: String) -> (file: RuleFileSpec, problems: [RuleProblem]) {
        var names = RuleNameRegistry()
        return parse(yaml: yaml, file: file, names: &names)
    }

    static func parse(yaml: String, file: String, names: inout RuleNameRegistry) -> (file: RuleFileSpec, problems: [RuleProblem]) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            return (RuleFileSpec(path: file), [YAMLErrorText.problem(error, file: file, yaml: yaml)])
        }
        var walker = RuleFileWalker(file: file, names: names)
        let spec = walker.walk(root: root)
        names = walker.names
        return (spec, inDocumentOrder(walker.problems))
    }

    /// Problems sorted by position; those at the same position keep the order they were found in.
    static func inDocumentOrder(_ problems: [RuleProblem]) -> [RuleProblem] {
        problems.enumerated().sorted { left, right in
            let l = (left.element.location?.line ?? 0, left.element.location?.column ?? 0, left.offset)
            let r = (right.element.location?.line ?? 0, right.element.location?.column ?? 0, right.offset)
            return l < r
        }.map(\.element)
    }

    /// The path itself when it is a file; its `*.yaml`/`*.yml` files sorted by name when it is a directory.
    static func ruleFiles(at path: String, problems: inout [RuleProblem]) -> [String] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            problems.append(RuleProblem(file: path, message: "does not exist"))
            return []
        }
        guard isDirectory.boolValue else { return [path] }
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: path)
        } catch {
            problems.append(RuleProblem(file: path, message: "cannot be read: \(error.localizedDescription)"))
            return []
        }
        let directory = path.hasSuffix("/") ? path : path + "/"
        return names
            .filter { !$0.hasPrefix(".") && ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) }
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            .map { directory + $0 }
            .filter { file in
                var isDirectory: ObjCBool = false
                return manager.fileExists(atPath: file, isDirectory: &isDirectory) && !isDirectory.boolValue
            }
    }
}
