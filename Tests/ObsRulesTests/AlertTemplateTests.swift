import ObsRules
import Testing

struct RenderCase: Sendable, CustomTestStringConvertible {
    var template: String
    var value: Double?
    var unit: ValueUnit
    var expected: String
    init(_ template: String, value: Double? = 2310.456, unit: ValueUnit = .milliseconds, _ expected: String) {
        self.template = template
        self.value = value
        self.unit = unit
        self.expected = expected
    }
    var testDescription: String { "\(template) → \(expected)" }
}

struct ErrorCase: Sendable, CustomTestStringConvertible {
    var template: String
    var column: Int
    var message: String
    init(_ template: String, _ column: Int, _ message: String) {
        self.template = template
        self.column = column
        self.message = message
    }
    var testDescription: String { template }
}

private let labels = [
    "service": "checkout",
    "some-label": "dashed",
    "mixed": "MiXeD Case",
    "words": "foo-bar baz_qux",
    "bytes": "2048",
]

private func render(_ template: String, value: Double?, unit: ValueUnit) throws -> String {
    let parsed = try AlertTemplate(parsing: template)
    let context = TemplateContext(labels: labels, value: value, unit: unit, externalURL: "http://obs:9090")
    return parsed.render(context)
}

private func parseError(_ template: String) -> TemplateError? {
    do {
        _ = try AlertTemplate(parsing: template)
        return nil
    } catch {
        return error
    }
}

@Suite("AlertTemplate")
struct AlertTemplateTests {
    @Test("labels, fields, index and literal text", arguments: [
        RenderCase("Service {{ $labels.service }} is slow", "Service checkout is slow"),
        RenderCase("{{ .Labels.service }}", "checkout"),
        RenderCase("[{{ $labels.missing }}]", "[]"),
        RenderCase("[{{ .Labels.missing }}]", "[]"),
        RenderCase("{{ index $labels \"some-label\" }}", "dashed"),
        RenderCase("{{ index .Labels `some-label` }}", "dashed"),
        RenderCase("[{{ index $labels \"nope\" }}]", "[]"),
        RenderCase("{{$labels.service}}", "checkout"),
        RenderCase("{{ $externalURL }}/alerts", "http://obs:9090/alerts"),
        RenderCase("{{ .ExternalURL }}", "http://obs:9090"),
        RenderCase("no actions here", "no actions here"),
        RenderCase("", ""),
        RenderCase("braces } and }} stay", "braces } and }} stay"),
        RenderCase("Ünïcode ✓ {{ $labels.service }} 日本", "Ünïcode ✓ checkout 日本"),
        RenderCase("{{ printf \"%s\"\n  $labels.service }}", "checkout"),
        RenderCase("{{ \"}}\" }}", "}}"),
        RenderCase("{{ \"a\\\"b\\\\c\\nd\\te\" }}", "a\"b\\c\nd\te"),
        RenderCase("{{ `raw \\n \"x\"` }}", "raw \\n \"x\""),
        RenderCase("{{ 3.5 }} {{ -3 }} {{ 1e3 }}", "3.5 -3 1000"),
        RenderCase("a{{/* a comment */}}b", "ab"),
    ])
    func labelsAndText(_ row: RenderCase) throws {
        #expect(try render(row.template, value: row.value, unit: row.unit) == row.expected)
    }

    @Test("$labels.NAME and .Labels.NAME render the same")
    func labelSpellingsAgree() throws {
        let dollar = try render("{{ $labels.service }}", value: nil, unit: .none)
        let field = try render("{{ .Labels.service }}", value: nil, unit: .none)
        let indexed = try render("{{ index $labels \"service\" }}", value: nil, unit: .none)
        #expect(dollar == "checkout")
        #expect(field == dollar)
        #expect(indexed == dollar)
    }

    @Test("$value prints with the context's unit", arguments: [
        RenderCase("{{ $value }}", value: 2310.456, unit: .milliseconds, "2.31s"),
        RenderCase("{{ .Value }}", value: 310, unit: .milliseconds, "310ms"),
        RenderCase("{{ $value }}", value: 0.0042, unit: .ratio, "0.42%"),
        RenderCase("{{ $value }}", value: 1234, unit: .perSecond, "1.23k/s"),
        RenderCase("{{ $value }}", value: 42, unit: .count, "42"),
        RenderCase("{{ $value }}", value: 2.5, unit: .none, "2.5"),
        RenderCase("p99 is {{ $value }} on {{ $labels.service }}", value: 0.75, unit: .milliseconds,
                   "p99 is 750µs on checkout"),
        RenderCase("{{ $value }}", value: .nan, unit: .milliseconds, "NaN"),
        RenderCase("{{ $value }}", value: .infinity, unit: .ratio, "+Inf"),
        RenderCase("{{ $value }}", value: -.infinity, unit: .count, "-Inf"),
    ])
    func valueUnits(_ row: RenderCase) throws {
        #expect(try render(row.template, value: row.value, unit: row.unit) == row.expected)
    }

    @Test("printf, in pipe and call form, gets the raw number", arguments: [
        RenderCase("{{ $value | printf \"%.1f\" }}", "2310.5"),
        RenderCase("{{ printf \"%.2f\" $value }}", "2310.46"),
        RenderCase("{{ printf \"%.2f\" .Value }}", "2310.46"),
        RenderCase("{{ printf \"%f\" $value }}", "2310.456000"),
        RenderCase("{{ printf \"%.0f\" $value }}", "2310"),
        RenderCase("{{ printf \"%8.1f|\" $value }}", "  2310.5|"),
        RenderCase("{{ printf \"%-8.1f|\" $value }}", "2310.5  |"),
        RenderCase("{{ printf \"%e\" $value }}", "2.310456e+03"),
        RenderCase("{{ printf \"%.1e\" $value }}", "2.3e+03"),
        RenderCase("{{ printf \"%g\" $value }}", "2310.456"),
        RenderCase("{{ printf \"%.3g\" $value }}", "2.31e+03"),
        RenderCase("{{ printf \"%d ms\" $value }}", "2310 ms"),
        RenderCase("{{ printf \"%d%%\" $value }}", value: 42.9, unit: .ratio, "42%"),
        RenderCase("{{ printf \"%d\" $value }}", value: -3.7, unit: .count, "-3"),
        RenderCase("{{ printf \"%d\" $value }}", value: -0.5, unit: .count, "0"),
        RenderCase("{{ printf \"%05d\" $value }}", value: 42, unit: .count, "00042"),
        RenderCase("{{ printf \"%+d\" $value }}", value: 42, unit: .count, "+42"),
        RenderCase("{{ printf \"%v\" $value }}", value: 2310, unit: .milliseconds, "2310"),
        RenderCase("{{ printf \"%v\" $value }}", value: 0.5, unit: .ratio, "0.5"),
        RenderCase("{{ printf \"%s\" $value }}", "2310.456"),
        RenderCase("{{ printf \"%+v\" $value }}", value: 0.5, unit: .ratio, "+0.5"),
        RenderCase("{{ printf \"%06v\" $value }}", value: -2.5, unit: .count, "-002.5"),
        RenderCase("{{ printf \"%s is at %.1f ms\" $labels.service $value }}", "checkout is at 2310.5 ms"),
        RenderCase("{{ printf \"%-10s|%4s|\" $labels.service \"ab\" }}", "checkout  |  ab|"),
        RenderCase("{{ printf \"%.3s\" $labels.service }}", "che"),
        RenderCase("{{ printf \"100%%\" }}", "100%"),
        RenderCase("{{ printf \"%.1f\" $labels.bytes }}", "2048.0"),
        RenderCase("{{ printf \"%.1f\" $labels.service }}", "%!f(string=checkout)"),
        RenderCase("{{ printf \"%d\" 7 }}", "7"),
        RenderCase("{{ \"100%%\" | printf }}", "100%"),
        RenderCase("{{ printf \"%.1f\" $value }}", value: .nan, unit: .count, "NaN"),
        RenderCase("{{ printf \"%d\" $value }}", value: .infinity, unit: .count, "+Inf"),
        RenderCase("{{ printf \"%6.1f|\" $value }}", value: -.infinity, unit: .count, "  -Inf|"),
        RenderCase("{{ printf \"%d\" $value }}", value: 1e20, unit: .count, "100000000000000000000"),
    ])
    func printf(_ row: RenderCase) throws {
        #expect(try render(row.template, value: row.value, unit: row.unit) == row.expected)
    }

    @Test("humanize, humanizePercentage and string functions", arguments: [
        RenderCase("{{ $value | humanize }}", value: 1234, unit: .count, "1.23k"),
        RenderCase("{{ $value | humanize }}", value: 2_500_000, unit: .count, "2.5M"),
        RenderCase("{{ $value | humanize }}", value: 7.2e9, unit: .count, "7.2G"),
        RenderCase("{{ $value | humanize }}", value: 999, unit: .count, "999"),
        RenderCase("{{ $value | humanize }}", value: 0.5, unit: .count, "0.5"),
        RenderCase("{{ humanize $value }}", value: -1234, unit: .count, "-1.23k"),
        RenderCase("{{ humanize 1234567 }}", "1.23M"),
        RenderCase("{{ $value | humanize }}", value: .nan, unit: .count, "NaN"),
        RenderCase("{{ $labels.bytes | humanize }}", "2.05k"),
        RenderCase("{{ $labels.service | humanize }}", "checkout"),
        RenderCase("{{ $value | humanizePercentage }}", value: 0.0042, unit: .ratio, "0.42%"),
        RenderCase("{{ $value | humanizePercentage }}", value: 1, unit: .count, "100%"),
        RenderCase("{{ humanizePercentage $value }}", value: 0.5, unit: .count, "50%"),
        RenderCase("{{ $labels.service | toUpper }}", "CHECKOUT"),
        RenderCase("{{ $labels.mixed | toLower }}", "mixed case"),
        RenderCase("{{ $labels.words | title }}", "Foo-Bar Baz_qux"),
        RenderCase("{{ toUpper .Labels.service }}", "CHECKOUT"),
        RenderCase("{{ $labels.service | toUpper | toLower }}", "checkout"),
        RenderCase("{{ $value | humanize | printf \"%s!\" }}", value: 1234, unit: .count, "1.23k!"),
        RenderCase("{{ printf \"%s!\" ($value | humanize) }}", value: 1234, unit: .count, "1.23k!"),
        RenderCase("{{ printf \"%s/%s\" (toUpper $labels.service) (index $labels \"some-label\") }}",
                   "CHECKOUT/dashed"),
        RenderCase("{{ $value | toUpper }}", value: 0.5, unit: .ratio, "0.5"),
    ])
    func functions(_ row: RenderCase) throws {
        #expect(try render(row.template, value: row.value, unit: row.unit) == row.expected)
    }

    @Test("a missing $value renders empty, also through functions", arguments: [
        RenderCase("[{{ $value }}]", value: nil, unit: .milliseconds, "[]"),
        RenderCase("[{{ .Value }}]", value: nil, unit: .ratio, "[]"),
        RenderCase("a{{ $value | printf \"%.1f\" }}b", value: nil, unit: .count, "ab"),
        RenderCase("[{{ $value | humanize }}]", value: nil, unit: .count, "[]"),
        RenderCase("[{{ $value | humanizePercentage | toUpper }}]", value: nil, unit: .count, "[]"),
        RenderCase("{{ printf \"%s=%v;\" $labels.service $value }}", value: nil, unit: .count, "checkout=;"),
        RenderCase("{{ printf \"%d%%\" $value }}", value: nil, unit: .count, "%"),
    ])
    func missingValue(_ row: RenderCase) throws {
        #expect(try render(row.template, value: row.value, unit: row.unit) == row.expected)
    }

    @Test("{{- and -}} trim whitespace on their side", arguments: [
        RenderCase("a  {{- $labels.service -}}  b", "acheckoutb"),
        RenderCase("a  {{- $labels.service }}  b", "acheckout  b"),
        RenderCase("a  {{ $labels.service -}}  b", "a  checkoutb"),
        RenderCase("line\n\t {{- $labels.service -}} \r\n\n next", "linecheckoutnext"),
        RenderCase("a \n{{- /* note */ -}}\n b", "ab"),
        RenderCase("{{ $labels.service -}} {{- $labels.service }}", "checkoutcheckout"),
        RenderCase("x {{-3}}", "x -3"),
        RenderCase("x {{- 3 -}} y", "x3y"),
        RenderCase("{{ 3 -}}", "3"),
    ])
    func trimMarkers(_ row: RenderCase) throws {
        #expect(try render(row.template, value: row.value, unit: row.unit) == row.expected)
    }

    @Test("usesValue sees $value anywhere in the template")
    func usesValue() throws {
        let uses = [
            "{{ $value }}", "{{ .Value }}", "x {{ $labels.a }} {{ $value | humanize }}",
            "{{ printf \"%s %.1f\" $labels.a $value }}", "{{ printf \"%s\" (toUpper ($value | humanize)) }}",
            "{{ index $labels (printf \"%v\" $value) }}",
        ]
        let doesNot = [
            "plain text", "{{ $labels.service }}", "{{ printf \"%s\" $labels.service }}",
            "{{ $externalURL }}", "{{/* $value */}}", "{{ \"$value\" }}",
        ]
        for text in uses {
            #expect(try AlertTemplate(parsing: text).usesValue, "\(text)")
        }
        for text in doesNot {
            #expect(try !AlertTemplate(parsing: text).usesValue, "\(text)")
        }
    }

    @Test("source is kept and equal sources parse equal")
    func sourceAndEquality() throws {
        let text = "{{ $labels.service }} at {{ $value }}"
        let one = try AlertTemplate(parsing: text)
        #expect(one.source == text)
        #expect(one == (try AlertTemplate(parsing: text)))
        #expect(one != (try AlertTemplate(parsing: text + " ")))
    }

    @Test("errors say what and where", arguments: [
        ErrorCase("Latency is {{ $valeu }}", 12,
                  "unknown variable $valeu (variables: $labels, $value, $externalURL)"),
        ErrorCase("first line\n{{ $nope }}", 12,
                  "unknown variable $nope (variables: $labels, $value, $externalURL)"),
        ErrorCase("{{ $ }}", 1, "unknown variable $ (variables: $labels, $value, $externalURL)"),
        ErrorCase("{{ .Valeu }}", 1, "unknown field .Valeu (fields: .Labels, .Value, .ExternalURL)"),
        ErrorCase("x {{ $labels }}", 3, "$labels needs a label name: $labels.service"),
        ErrorCase("{{ .Labels }}", 1, ".Labels needs a label name: .Labels.service"),
        ErrorCase("{{ $labels | toUpper }}", 1, "$labels needs a label name: $labels.service"),
        ErrorCase("{{ $labels. }}", 1, "missing name after the dot in $labels."),
        ErrorCase("{{ $labels.a.b }}", 1, "$labels.a.b has too many parts: a label is $labels.a"),
        ErrorCase("{{ $value.x }}", 1, "$value has no field .x"),
        ErrorCase("{{ .Value.x }}", 1, ".Value has no field .x"),
        ErrorCase("ok {{ $value | humanise }}", 4,
                  "unknown function humanise (functions: printf, index, humanize, humanizePercentage, toUpper, toLower, title)"),
        ErrorCase("{{ humanizeDuration $value }}", 1,
                  "unknown function humanizeDuration (functions: printf, index, humanize, humanizePercentage, toUpper, toLower, title)"),
        ErrorCase("{{ printf \"%s\" humanize $value }}", 1,
                  "to use the result of humanize as an argument, put it in parentheses: (humanize …)"),
        ErrorCase("abc {{ $value", 5, "unterminated action: {{ without a closing }}"),
        ErrorCase("{{ $value }} and {{ $value", 18, "unterminated action: {{ without a closing }}"),
        ErrorCase("{{ $value }", 1, "unterminated action: {{ without a closing }}"),
        ErrorCase("{{ $value } }}", 1, "unexpected '}' in action (an action ends with }})"),
        ErrorCase("x {{ printf \"%.1f $value }}", 3, "unterminated string: missing closing \""),
        ErrorCase("{{ printf \"%.1f\n\" $value }}", 1,
                  "unterminated string: missing closing \" before the end of the line"),
        ErrorCase("{{ `abc }}", 1, "unterminated raw string: missing closing `"),
        ErrorCase("{{ \"a\\qb\" }}", 1, "unknown escape \\q in string (escapes: \\\" \\\\ \\n \\t \\r)"),
        ErrorCase("{{ if $value }}high{{ end }}", 1,
                  "{{ if }} is not supported in alert templates (no if/else/range/with/define/template blocks; only values, functions and pipes)"),
        ErrorCase("{{ if gt $value 0.5 }}", 1,
                  "{{ if }} is not supported in alert templates (no if/else/range/with/define/template blocks; only values, functions and pipes)"),
        ErrorCase("a{{ range $labels }}", 2,
                  "{{ range }} is not supported in alert templates (no if/else/range/with/define/template blocks; only values, functions and pipes)"),
        ErrorCase("{{- define \"x\" }}", 1,
                  "{{ define }} is not supported in alert templates (no if/else/range/with/define/template blocks; only values, functions and pipes)"),
        ErrorCase("{{ end }}", 1,
                  "{{ end }} is not supported in alert templates (no if/else/range/with/define/template blocks; only values, functions and pipes)"),
        ErrorCase("{{ true }}", 1,
                  "true is not supported in alert templates (only strings, numbers, $labels, $value and $externalURL)"),
        ErrorCase("Value: {{ printf \"%x\" $value }}", 8,
                  "printf verb %x is not supported (verbs: %f %e %g %d %s %v %%)"),
        ErrorCase("{{ printf \"%n\" $value }}", 1, "printf verb %n is not supported (verbs: %f %e %g %d %s %v %%)"),
        ErrorCase("{{ printf \"%@\" $value }}", 1, "printf verb %@ is not supported (verbs: %f %e %g %d %s %v %%)"),
        ErrorCase("{{ printf \"%*d\" $value }}", 1, "printf verb %* is not supported (verbs: %f %e %g %d %s %v %%)"),
        ErrorCase("{{ printf \"%.1f %s\" $value }}", 1, "printf format \"%.1f %s\" has 2 verbs but 1 argument"),
        ErrorCase("{{ $value | printf \"%s %s %s\" $labels.a }}", 1,
                  "printf format \"%s %s %s\" has 3 verbs but 2 arguments"),
        ErrorCase("{{ printf \"%.1f\" $value $value }}", 1, "printf format \"%.1f\" has 1 verb but 2 arguments"),
        ErrorCase("{{ printf \"done\" $value }}", 1, "printf format \"done\" has 0 verbs but 1 argument"),
        ErrorCase("{{ printf \"50%\" }}", 1, "printf format \"50%\" ends with a lone %; write %% for a percent sign"),
        ErrorCase("{{ printf \"%5\" $value }}", 1,
                  "printf format \"%5\" ends in the middle of a verb (verbs: %f %e %g %d %s %v %%)"),
        ErrorCase("{{ printf \"%100f\" $value }}", 1, "printf width in \"%100f\" is too large (at most 64)"),
        ErrorCase("{{ printf \"%.99f\" $value }}", 1, "printf precision in \"%.99f\" is too large (at most 64)"),
        ErrorCase("{{ printf \"%.2d\" $value }}", 1, "printf %d takes no precision; use %.0f to round"),
        ErrorCase("{{ printf }}", 1, "printf needs a format string: printf \"%.1f\" $value"),
        ErrorCase("{{ printf $labels.fmt $value }}", 1, "printf's format must be a quoted string: printf \"%.1f\" $value"),
        ErrorCase("{{ humanize }}", 1, "humanize takes 1 argument, got 0: $value | humanize"),
        ErrorCase("{{ humanize $value $value }}", 1, "humanize takes 1 argument, got 2: $value | humanize"),
        ErrorCase("{{ index $value \"a\" }}", 1, "index works only on $labels: index $labels \"label-name\""),
        ErrorCase("{{ index $labels }}", 1, "index takes 2 arguments, got 1: index $labels \"label-name\""),
        ErrorCase("{{ }}", 1, "empty action {{ }}"),
        ErrorCase("{{- -}}", 1, "empty action {{ }}"),
        ErrorCase("{{ $value | }}", 1, "missing function after |"),
        ErrorCase("{{ | humanize }}", 1, "missing value before |"),
        ErrorCase("{{ $value $value }}", 1, "unexpected $value after $value: only functions take arguments"),
        ErrorCase("{{ $value | $labels.service }}", 1,
                  "cannot pipe into $labels.service: only a function can follow |"),
        ErrorCase("{{ ( $value }}", 1, "unclosed ( in action"),
        ErrorCase("{{ () }}", 1, "missing value before )"),
        ErrorCase("{{ $value ) }}", 1, "unexpected ) without a matching ("),
        ErrorCase("{{ . }}", 1, "{{ . }} is not supported: use $labels.NAME, $value or $externalURL"),
        ErrorCase("{{ $x := 1 }}", 1, "unexpected character ':' in action"),
        ErrorCase("{{ 1x }}", 1, "bad number 1x"),
        ErrorCase("{{ 1.2.3 }}", 1, "bad number 1.2.3"),
        ErrorCase("{{ /* never closed }}", 1, "unterminated comment: /* without a closing */"),
        ErrorCase("{{/* c */ $value }}", 1, "a comment must fill its whole action: {{/* … */}}"),
        ErrorCase("{{ " + String(repeating: "(", count: 9) + "$value" + String(repeating: ")", count: 9) + " }}", 1,
                  "parentheses nest too deeply (at most 8)"),
        ErrorCase("{{ $labels.a" + String(repeating: " | toUpper", count: 16) + " }}", 1,
                  "too many | in one action (at most 15)"),
    ])
    func errors(_ row: ErrorCase) {
        let error = parseError(row.template)
        #expect(error == TemplateError(column: row.column, message: row.message))
    }

    @Test("description is one line with the column")
    func errorDescription() {
        let error = parseError("Latency is {{ $valeu }}")
        #expect(error?.description
            == "template column 12: unknown variable $valeu (variables: $labels, $value, $externalURL)")
    }

    @Test("the nesting limits themselves still parse")
    func limits() throws {
        let nested = "{{ " + String(repeating: "(", count: 8) + "$value" + String(repeating: ")", count: 8) + " }}"
        #expect(try render(nested, value: 2, unit: .count) == "2")
        let piped = "{{ $labels.service" + String(repeating: " | toUpper", count: 15) + " }}"
        #expect(try render(piped, value: nil, unit: .count) == "CHECKOUT")
    }
}
