/// A parsed alert template, as Prometheus users write them in the `labels:` and
/// `annotations:` of alerting rules: a subset of Go's text/template.
///
/// Parsing rejects anything it can't render (unknown variables or functions,
/// control blocks, bad printf formats); rendering a parsed template never fails.
public struct AlertTemplate: Sendable, Equatable {
    public let source: String
    let nodes: [TemplateNode]

    public init(parsing text: String) throws(TemplateError) {
        var parser = TemplateParser(text)
        nodes = try parser.parse()
        source = text
    }

    public func render(_ context: TemplateContext) -> String {
        var result = ""
        for node in nodes {
            switch node {
            case .text(let text):
                result += text
            case .action(let expression):
                result += expression.evaluate(context).display(unit: context.unit)
            }
        }
        return result
    }

    /// Whether the template refers to $value (a label that does would change the alert's identity every evaluation).
    public var usesValue: Bool {
        nodes.contains { node in
            if case .action(let expression) = node { return expression.usesValue }
            return false
        }
    }
}
