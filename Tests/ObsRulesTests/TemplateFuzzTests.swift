import ObsRules
import ObsTesting
import Testing

@Suite("Template fuzzing")
struct TemplateFuzzTests {
    static let fragments = [
        "{{", "}}", "{{- ", " -}}", "{", "}", "$value", "$labels", "$labels.service", ".Labels", ".Value",
        ".", "$", "|", "(", ")", "printf", "humanize", "humanizePercentage", "toUpper", "title", "index",
        "\"%", "%d", "%.1f", "%s", "%v", "%%", "%-08.3e", "%+g", "%", "\"", "`", "\\", "\\n", "-", "1",
        "2.5", "-3", "1e400", "e", "/*", "*/", " ", "  ", "\n", "\r\n", "\t", "x", "é", "\u{301}", "if",
        "end", "日本", "\u{0}", "%n", "%@", "%100f", "\"%s\"", "\"%.2f\" $value",
    ]

    static let contexts: [TemplateContext] = {
        let values: [Double?] = [nil, 2310.456, 0, -0.0, .nan, .infinity, -.infinity, 1e308, -Double.leastNonzeroMagnitude, 0.5]
        let units: [ValueUnit] = [.milliseconds, .ratio, .perSecond, .count, .none]
        var contexts: [TemplateContext] = []
        for (i, value) in values.enumerated() {
            contexts.append(TemplateContext(
                labels: ["service": "checkout", "": "empty", "n": "1e3"],
                value: value,
                unit: units[i % units.count],
                externalURL: "http://obs"
            ))
        }
        return contexts
    }()

    @Test("random templates parse or fail cleanly, and parsed ones render")
    func randomTemplates() throws {
        var random = SplitMix64(seed: 0xA1E27)
        var parsed = 0
        var rejected = 0
        for round in 0..<4000 {
            var text = ""
            if round % 4 == 0 {
                // Raw bytes, decoded with replacement characters.
                let bytes = (0..<random.below(40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                text = String(decoding: bytes, as: UTF8.self)
            } else {
                for _ in 0..<random.below(14) {
                    text += Self.fragments[random.below(Self.fragments.count)]
                }
            }
            let characters = Array(text)
            do {
                let template = try AlertTemplate(parsing: text)
                parsed += 1
                #expect(template.source == text)
                #expect(template == (try AlertTemplate(parsing: text)))
                for context in Self.contexts {
                    let once = template.render(context)
                    #expect(once == template.render(context))
                }
                let opensAction = zip(characters, characters.dropFirst()).contains { $0 == "{" && $1 == "{" }
                if !opensAction {
                    #expect(template.render(Self.contexts[0]) == text)
                }
            } catch {
                rejected += 1
                #expect((1...max(characters.count, 1)).contains(error.column), "\(text)")
                #expect(!error.message.isEmpty)
                #expect(!error.message.contains("\n") || text.contains("\n"))
                #expect(error.description.hasPrefix("template column \(error.column): "))
            }
        }
        // The generator must exercise both outcomes.
        #expect(parsed > 500)
        #expect(rejected > 500)
    }

    @Test("every printf verb and flag renders odd values")
    func printfMatrix() throws {
        let verbs = ["f", "e", "g", "d", "s", "v"]
        let specs = ["", "-", "+", " ", "0", "-+ 0", "12", "-12", "012", ".0", ".3", "+8.2", "64.64"]
        var rendered = 0
        for verb in verbs {
            for spec in specs where !(verb == "d" && spec.contains(".")) {
                let template = try AlertTemplate(parsing: "{{ printf \"[%\(spec)\(verb)]\" $value }}")
                for context in Self.contexts {
                    let text = template.render(context)
                    #expect(text.hasPrefix("["))
                    #expect(text.hasSuffix("]"))
                    rendered += 1
                }
            }
        }
        #expect(rendered == 740)
    }
}
