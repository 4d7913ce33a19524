import Yams

/// Turns a Yams error into one located, one-line problem.
enum YAMLErrorText {
    /// 1-based, like a Yams `Mark` (whose initializer is not public).
    struct Position {
        var line: Int
        var column: Int
    }

    static func problem(_ error: any Error, file: String, yaml: String) -> RuleProblem {
        guard let error = error as? YamlError else {
            return RuleProblem(file: file, message: "is not valid YAML: \(firstLine(of: "\(error)"))")
        }
        func at(_ mark: Mark) -> RuleLocation { RuleLocation(file: file, line: mark.line, column: mark.column) }
        func at(_ position: Position) -> RuleLocation { RuleLocation(file: file, line: position.line, column: position.column) }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _):
            // libyaml's wording reads as "while parsing X (started at L:C), PROBLEM".
            let text = context.map { "\($0.text) at \($0.mark), \(problem)" } ?? problem
            return RuleProblem(location: at(mark), message: "is not valid YAML: \(text)")
        case .composer(let context, let problem, let mark, _):
            // Yams' own composer contexts carry no meaningful mark (a second document is "at 1:1").
            let text = context.map { "\($0.text), \(problem)" } ?? problem
            return RuleProblem(location: at(mark), message: "is not valid YAML: \(text)")
        case .reader(let problem, let offset, _, _):
            guard let offset, let mark = mark(ofCharacter: offset, in: yaml) else {
                return RuleProblem(file: file, message: "is not valid YAML: \(problem)")
            }
            return RuleProblem(location: at(mark), message: "is not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let first = at(context.mark)
            guard let second = secondOccurrence(of: key, after: context.mark, in: yaml) else {
                return RuleProblem(location: first, message: "is not valid YAML: key \(key.debugDescription) appears twice in one mapping")
            }
            return RuleProblem(location: at(second), message: "is not valid YAML: key \(key.debugDescription) appears twice in one mapping (first at \(first))")
        default:
            return RuleProblem(file: file, message: "is not valid YAML: \(firstLine(of: "\(error)"))")
        }
    }

    static func firstLine(of text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? text
    }

    /// The 1-based line and column (in Unicode scalars) of the character at `offset`.
    static func mark(ofCharacter offset: Int, in yaml: String) -> Position? {
        guard let index = yaml.index(yaml.startIndex, offsetBy: offset, limitedBy: yaml.endIndex) else { return nil }
        var line = 1
        var column = 1
        for scalar in yaml.unicodeScalars[..<index] {
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return Position(line: line, column: column)
    }

    /// Where a repeated key is written again, since Yams reports only the first: later on the
    /// same line (a flow mapping) or at the same column further down (a block mapping).
    static func secondOccurrence(of key: String, after first: Mark, in yaml: String) -> Position? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        let keyScalars = Array(key.unicodeScalars)
        guard !keyScalars.isEmpty, first.line >= 1, first.line <= lines.count else { return nil }
        func isKey(_ line: [Unicode.Scalar], at start: Int) -> Bool {
            guard start >= 0, start + keyScalars.count <= line.count,
                  Array(line[start..<(start + keyScalars.count)]) == keyScalars else { return false }
            var next = start + keyScalars.count
            while next < line.count, line[next] == " " { next += 1 }
            return next < line.count && line[next] == ":"
        }
        let firstLine = lines[first.line - 1]
        var start = first.column - 1 + keyScalars.count
        while start < firstLine.count {
            if ["{", ",", " "].contains(firstLine[start - 1]), isKey(firstLine, at: start) {
                return Position(line: first.line, column: start + 1)
            }
            start += 1
        }
        for number in first.line..<lines.count {
            let line = lines[number]
            guard let indent = line.firstIndex(where: { $0 != " " }), line[indent] != "#" else { continue }
            if indent < first.column - 1 { return nil }
            if indent == first.column - 1, isKey(line, at: indent) { return Position(line: number + 1, column: indent + 1) }
        }
        return nil
    }
}
