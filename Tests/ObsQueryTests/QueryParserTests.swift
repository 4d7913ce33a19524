import Testing

@testable import ObsQuery

/// One golden row: query text and the expected canonical S-expression or error description.
struct ParserCase: Sendable, CustomTestStringConvertible {
    var input: String
    var expected: String

    init(_ input: String, _ expected: String) {
        self.input = input
        self.expected = expected
    }

    var testDescription: String { input.debugDescription }
}

@Suite("QueryParser")
struct QueryParserTests {
    /// Valid expressions → `Expression.description`.
    static let valid: [ParserCase] = [
        // DESIGN.md examples.
        ParserCase(#"p95(latency{service="checkout"}[5m])"#, #"(p95 latency{service="checkout"}[300s])"#),
        ParserCase(#"quantile(0.999, latency{service="checkout"}[1h])"#, #"(quantile 0.999 latency{service="checkout"}[3600s])"#),
        ParserCase(#"error_rate{service="payment"}[5m]"#, #"error_rate{service="payment"}[300s]"#),
        ParserCase(#"rate(requests{service="cart"}[1m])"#, #"(rate requests{service="cart"}[60s])"#),
        ParserCase(#"rate(logs{level="error"}[1m]) by (service)"#, #"(by (service) (rate logs{level="error"}[60s]))"#),
        ParserCase(#"avg(latency{route="/api/checkout"}[5m])"#, #"(avg latency{route="/api/checkout"}[300s])"#),
        ParserCase(#"absent(logs{service="inventory"}[5m])"#, #"(absent logs{service="inventory"}[300s])"#),
        ParserCase(
            #"anomaly(p95(latency{service="checkout"}[1m]), baseline=1h)"#,
            #"(anomaly (p95 latency{service="checkout"}[60s]) baseline=3600000)"#
        ),
        ParserCase(#"burn_rate(slo="checkout-availability", window=1h)"#, #"(burn_rate slo="checkout-availability" window=3600000)"#),
        ParserCase("p95(latency[5m]) by (service) > 2s", "(> (by (service) (p95 latency[300s])) 2000)"),
        ParserCase(#"error_rate{service="x"}[5m] > 0.1%"#, #"(> error_rate{service="x"}[300s] 0.001)"#),
        ParserCase(#"error_rate{service="payment"}[1h] by (route)"#, #"(by (route) error_rate{service="payment"}[3600s])"#),

        // `and`: lowest precedence, left-associative; a keyword, still fine as a label name.
        ParserCase(
            #"burn_rate(slo="a", window=1h) > 14.4 and burn_rate(slo="a", window=5m) > 14.4"#,
            #"(and (> (burn_rate slo="a" window=3600000) 14.4) (> (burn_rate slo="a" window=300000) 14.4))"#
        ),
        ParserCase("a + 1 and b * 2 > 3 and c", "(and (and (+ a 1) (> (* b 2) 3)) c)"),
        ParserCase("(a and b) > 1", "(> (and a b) 1)"),
        ParserCase(#"requests{and="x"}[5m] by (and)"#, #"(by (and) requests{and="x"}[300s])"#),

        // Numbers and units.
        ParserCase("42", "42"),
        ParserCase("007", "7"),
        ParserCase("0.999", "0.999"),
        ParserCase("2s", "2000"),
        ParserCase("250ms", "250"),
        ParserCase("1m30s", "90000"),
        ParserCase("1h30m15s500ms", "5415500"),
        ParserCase("1.5h", "5400000"),
        ParserCase("1d", "86400000"),
        ParserCase("1w", "604800000"),
        ParserCase("1e3", "1000"),
        ParserCase("1e+2", "100"),
        ParserCase("2.5E-2", "0.025"),
        ParserCase("1e3s", "1000000"),
        ParserCase("0.1%", "0.001"),
        ParserCase("50%", "0.5"),

        // Strings.
        ParserCase(#""hello""#, #""hello""#),
        ParserCase("'single'", #""single""#),
        ParserCase(#""a\"b\\c\nd""#, #""a\"b\\c\nd""#),
        ParserCase(#"'it\'s'"#, #""it's""#),

        // Selectors.
        ParserCase("latency", "latency"),
        ParserCase("latency{}", "latency"),
        ParserCase("_private_1", "_private_1"),
        ParserCase(#"latency{service="a",route!="/b",}"#, #"latency{service="a",route!="/b"}"#),
        ParserCase(#"logs{message=~"time(d)? out", level!~'debug|info'}"#, #"logs{message=~"time(d)? out",level!~"debug|info"}"#),
        ParserCase(#"latency{by="x"}"#, #"latency{by="x"}"#),
        ParserCase("latency[1h30m]", "latency[5400s]"),
        ParserCase("latency[1d]", "latency[86400s]"),
        ParserCase("latency[0.5m]", "latency[30s]"),
        ParserCase("latency[1e3s]", "latency[1000s]"),
        ParserCase(#"latency { service = "a" } [ 5m ]"#, #"latency{service="a"}[300s]"#),

        // Calls.
        ParserCase("absent()", "(absent)"),
        ParserCase("f(a, b,)", "(f a b)"),
        ParserCase(#"f(x=1, y = "z")"#, #"(f x=1 y="z")"#),
        ParserCase("f(a == 1)", "(f (== a 1))"),
        ParserCase("f (a)", "(f a)"),
        ParserCase("max(p95(latency[5m]), p99(latency[5m]) by (route))", "(max (p95 latency[300s]) (by (route) (p99 latency[300s])))"),

        // Operators, precedence, associativity.
        ParserCase("1 + 2 * 3", "(+ 1 (* 2 3))"),
        ParserCase("(1 + 2) * 3", "(* (+ 1 2) 3)"),
        ParserCase("a*b+c/d", "(+ (* a b) (/ c d))"),
        ParserCase("1 - 2 - 3", "(- (- 1 2) 3)"),
        ParserCase("8 / 4 / 2", "(/ (/ 8 4) 2)"),
        ParserCase("5m-3", "(- 300000 3)"),
        ParserCase("-5", "(- 5)"),
        ParserCase("--x", "(- (- x))"),
        ParserCase("a - -b", "(- a (- b))"),
        ParserCase("-a * b", "(* (- a) b)"),
        ParserCase("-p95(latency[5m]) by (service)", "(- (by (service) (p95 latency[300s])))"),
        ParserCase("a == b != c", "(!= (== a b) c)"),
        ParserCase("a >= 1 + 2", "(>= a (+ 1 2))"),
        ParserCase("a < b", "(< a b)"),
        ParserCase("a <= b", "(<= a b)"),
        ParserCase("a by (x, y,) * 2", "(* (by (x y) a) 2)"),
        ParserCase("x by (by)", "(by (by) x)"),
        ParserCase("a + b by (x)", "(+ a (by (x) b))"),
        ParserCase("((a))", "a"),
        ParserCase("(a + b) by (c)", "(by (c) (+ a b))"),
        ParserCase(
            "rate(\n  logs{level=\"error\"}[1m]\n)\n\tby (service)\n",
            #"(by (service) (rate logs{level="error"}[60s]))"#
        ),
        ParserCase("error_rate{service=\"x\"}[5m]\r\n  > 0.1%\r\n", #"(> error_rate{service="x"}[300s] 0.001)"#),
    ]

    /// Malformed expressions → `QueryError.description`.
    static let malformed: [ParserCase] = [
        ParserCase("", "1:1: empty expression"),
        ParserCase("a and", "1:6: expected an expression, found end of expression"),
        ParserCase("and b", "1:1: expected an expression, found \"and\""),
        ParserCase("   \n  ", "1:1: empty expression"),
        ParserCase("latency @ 5", #"1:9: unexpected character "@""#),
        ParserCase("1\u{A0}+ 2", "1:2: unexpected character U+00A0"),
        ParserCase("5.", #"1:2: unexpected character ".""#),
        ParserCase("!x", #"1:1: unexpected character "!" (use != or !~)"#),
        ParserCase(#"latency{service="checkout}"#, "1:27: unterminated string opened at 1:17"),
        ParserCase("\"ab\ncd\"", "1:4: unterminated string opened at 1:1"),
        ParserCase(#""a\qb""#, #"1:3: unknown escape "\q" in string (use \", \', \\, \n or \t)"#),
        ParserCase("5x", #"1:2: unknown unit "x" after number 5 (use ms, s, m, h, d, w or %)"#),
        ParserCase("5min", #"1:2: unknown unit "min" after number 5 (use ms, s, m, h, d, w or %)"#),
        ParserCase("1e", #"1:2: unknown unit "e" after number 1 (use ms, s, m, h, d, w or %)"#),
        ParserCase("1m30x", #"1:5: unknown unit "x" after number 1m30 (use ms, s, m, h, d, w or %)"#),
        ParserCase("1m30", "1:5: expected a unit after 30 in duration 1m30 (use ms, s, m, h, d or w)"),
        ParserCase("1e999", "1:1: number 1e999 is too large"),
        ParserCase("x > 1e308d", "1:5: number 1e308d is too large"),
        ParserCase("}", #"1:1: expected an expression, found "}""#),
        ParserCase("by", #"1:1: expected an expression, found "by""#),
        ParserCase("1 +", "1:4: expected an expression, found end of expression"),
        ParserCase("f(,)", #"1:3: expected an expression, found ",""#),
        ParserCase("f(x=)", #"1:5: expected an expression, found ")""#),
        ParserCase("(1 + 2", #"1:7: expected ")" to close "(" at 1:1, found end of expression"#),
        ParserCase("(1 + 2]", #"1:7: expected ")" to close "(" at 1:1, found "]""#),
        ParserCase("p95(latency[5m]", #"1:16: expected ")" to close the call of p95 at 1:1, found end of expression"#),
        ParserCase("p95(latency[5m] latency)", #"1:17: expected ")" to close the call of p95 at 1:1, found identifier "latency""#),
        ParserCase(
            "rate(\n  logs[5m]\n",
            #"2:11: expected ")" to close the call of rate at 1:1, found end of expression"#
        ),
        ParserCase(#"latency{service="a" route="b"}"#, #"1:21: expected "}" or "," after a label matcher, found identifier "route""#),
        ParserCase(#"latency{"a"}"#, #"1:9: expected a label name, found string "a""#),
        ParserCase(#"latency{service}"#, #"1:16: expected one of =, !=, =~, !~ after label "service", found "}""#),
        ParserCase(#"latency{service=="x"}"#, #"1:16: expected one of =, !=, =~, !~ after label "service", found "==""#),
        ParserCase(#"latency{service=5}"#, #"1:17: expected a quoted string as the value of label "service", found number 5"#),
        ParserCase(#"latency{service=checkout}"#, #"1:17: expected a quoted string as the value of label "service", found identifier "checkout""#),
        ParserCase(#"logs{message=~"("}"#, #"1:15: invalid regular expression "(": expected ')'"#),
        ParserCase(#"logs{message!~"*"}"#, #"1:15: invalid regular expression "*": quantifier '*' must appear after expression"#),
        ParserCase("latency[5]", "1:9: expected a duration such as 5m in the range, found number 5"),
        ParserCase("latency[5%]", "1:9: expected a duration such as 5m in the range, found number 5%"),
        ParserCase("latency[]", #"1:9: expected a duration such as 5m in the range, found "]""#),
        ParserCase("latency[500ms]", "1:9: range must be whole seconds, found 500ms"),
        ParserCase("latency[1.5s]", "1:9: range must be whole seconds, found 1.5s"),
        ParserCase("latency[0s]", "1:9: range must be longer than zero"),
        ParserCase("latency[1e30d]", "1:9: number 1e30d is too large"),
        ParserCase("latency[5m", #"1:11: expected "]" after the range, found end of expression"#),
        ParserCase("latency[5m 1h]", #"1:12: expected "]" after the range, found number 1h"#),
        ParserCase("p95(latency[5m]) by service", #"1:21: expected "(" after "by", found identifier "service""#),
        ParserCase("p95(latency[5m]) by ()", #"1:22: expected a label name in by (…), found ")""#),
        ParserCase("p95(latency[5m]) by (a b)", #"1:24: expected ")" or "," after a label in by (…), found identifier "b""#),
        ParserCase("p95(latency[5m]) by (a", #"1:23: expected ")" or "," after a label in by (…), found end of expression"#),
        ParserCase("latency foo", #"1:9: unexpected identifier "foo" after the end of the expression"#),
        ParserCase("rate(logs[5m]) by (service) by (level)", #"1:29: unexpected "by" after the end of the expression"#),
        ParserCase("rate(logs)[5m]", #"1:11: unexpected "[" after the end of the expression"#),
        ParserCase("a = 1", #"1:3: unexpected "=" after the end of the expression (use == to compare)"#),
        ParserCase("1 2", "1:3: unexpected number 2 after the end of the expression"),
        ParserCase(
            String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100),
            "1:33: expression is nested too deeply (more than 32 levels)"
        ),
        ParserCase(String(repeating: "-", count: 100) + "1", "1:33: expression is nested too deeply (more than 32 levels)"),
    ]

    @Test("valid expressions print their canonical form", arguments: valid)
    func parsesValidExpression(_ golden: ParserCase) throws {
        let expression = try QueryParser.parse(golden.input)
        #expect(expression.description == golden.expected)
    }

    @Test("malformed expressions report a positioned error", arguments: malformed)
    func rejectsMalformedExpression(_ golden: ParserCase) {
        do {
            let expression = try QueryParser.parse(golden.input)
            Issue.record("expected an error, parsed as \(expression)")
        } catch {
            #expect(error.description == golden.expected)
            #expect(error.position != nil)
        }
    }

    @Test func goldenTablesAreLargeEnough() {
        #expect(Self.valid.count >= 40)
        #expect(Self.malformed.count >= 30)
    }

    @Test func nodePositions() throws {
        // Columns:    1        10        20        30        40        50
        //             |        |         |         |         |         |
        let text = #"p95(latency{service="checkout"}[5m]) by (service) > 2s"#
        let expression = try QueryParser.parse(text)
        guard case .binary(let comparison) = expression else {
            Issue.record("expected a comparison, got \(expression)")
            return
        }
        #expect(comparison.position == SourcePosition(line: 1, column: 51))
        #expect(comparison.rhs == .number(2000, at: SourcePosition(line: 1, column: 53)))
        guard case .grouping(let grouped, let labels, let byPosition) = comparison.lhs else {
            Issue.record("expected a grouping, got \(comparison.lhs)")
            return
        }
        #expect(labels == ["service"])
        #expect(byPosition == SourcePosition(line: 1, column: 38))
        guard case .call(let call) = grouped, let argument = call.arguments.first,
              case .selector(let selector) = argument.value
        else {
            Issue.record("expected a call of a selector, got \(grouped)")
            return
        }
        #expect(call.position == SourcePosition(line: 1, column: 1))
        #expect(selector.position == SourcePosition(line: 1, column: 5))
        #expect(selector.rangeSeconds == 300)
        #expect(selector.matchers.first?.position == SourcePosition(line: 1, column: 13))
    }

    @Test func positionsAcrossLines() throws {
        let text = "anomaly(\r\n  p95(latency[1m]),\n\tbaseline = -1h\n)"
        let expression = try QueryParser.parse(text)
        guard case .call(let call) = expression, call.arguments.count == 2 else {
            Issue.record("expected a call with two arguments, got \(expression)")
            return
        }
        #expect(call.position == SourcePosition(line: 1, column: 1))
        #expect(call.arguments[0].value.position == SourcePosition(line: 2, column: 3))
        #expect(call.arguments[1].name == "baseline")
        #expect(call.arguments[1].value == .negation(.number(3_600_000, at: SourcePosition(line: 3, column: 14)), at: SourcePosition(line: 3, column: 13)))
        #expect(expression.description == "(anomaly (p95 latency[60s]) baseline=(- 3600000))")
    }

    @Test func stringAndOperatorPositions() throws {
        let expression = try QueryParser.parse("a\n  - 'x'")
        guard case .binary(let operation) = expression else {
            Issue.record("expected a binary operation, got \(expression)")
            return
        }
        #expect(operation.op == .subtract)
        #expect(operation.position == SourcePosition(line: 2, column: 3))
        #expect(operation.rhs == .string("x", at: SourcePosition(line: 2, column: 5)))
    }

    @Test func errorPositionAfterMultiLineText() {
        #expect(throws: QueryError(at: SourcePosition(line: 3, column: 2), #"unexpected character "@""#)) {
            try QueryParser.parse("a +\n  b\n @")
        }
    }

    @Test func matcherValuesKeepEscapesAndTabs() throws {
        let expression = try QueryParser.parse(#"logs{message="a\tb\\", path='/x'}"#)
        guard case .selector(let selector) = expression else {
            Issue.record("expected a selector, got \(expression)")
            return
        }
        #expect(selector.matchers.map(\.value) == ["a\tb\\", "/x"])
        #expect(selector.matchers.map(\.op) == [.equal, .equal])
    }

    @Test func tokenDescriptions() throws {
        let tokens = try QueryLexer.tokenize(#"foo by 5m "x" 'y' } =~ <="#)
        #expect(tokens.map(\.description) == [
            #"identifier "foo""#, #""by""#, "number 5m", #"string "x""#, "string 'y'", #""}""#, #""=~""#, #""<=""#,
            "end of expression",
        ])
        #expect(tokens.last?.position == SourcePosition(line: 1, column: 26))
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let depth = QueryParser.maximumNesting - 1
        let parenthesized = String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(try QueryParser.parse(parenthesized) == .number(1, at: SourcePosition(line: 1, column: depth + 1)))
        let calls = String(repeating: "f(", count: depth) + "x" + String(repeating: ")", count: depth)
        #expect(try QueryParser.parse(calls).description == String(repeating: "(f ", count: depth) + "x" + String(repeating: ")", count: depth))
    }

    /// Every prefix of every valid golden input either parses or fails with a position
    /// inside (or just past) the text: no crash, no position-less error.
    @Test(arguments: valid)
    func everyPrefixParsesOrFailsCleanly(_ golden: ParserCase) {
        let characters = Array(golden.input)
        for length in 0...characters.count {
            let prefix = String(characters[..<length])
            let lines = prefix.filter(\.isNewline).count + 1
            do {
                _ = try QueryParser.parse(prefix)
            } catch {
                guard let position = error.position else {
                    Issue.record("no position for \(prefix.debugDescription): \(error)")
                    continue
                }
                #expect(position.line >= 1 && position.line <= lines, "\(prefix.debugDescription): \(error)")
                #expect(position.column >= 1 && position.column <= length + 1, "\(prefix.debugDescription): \(error)")
            }
        }
    }

    @Test func endOfExpressionIsJustPastTheLastToken() throws {
        let tokens = try QueryLexer.tokenize("a +\n  b  \n\n")
        #expect(tokens.last?.kind == .end)
        #expect(tokens.last?.position == SourcePosition(line: 2, column: 4))
    }
}
