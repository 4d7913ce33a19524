import Testing
@testable import ObsNotify

struct LabelMatcherParsingTests {
    @Test(arguments: [
        ("service=\"checkout\"", "service", MatchOperator.equal, "checkout"),
        ("severity=~\"page|critical\"", "severity", .regex, "page|critical"),
        ("env!=\"dev\"", "env", .notEqual, "dev"),
        ("env!~\"dev|test\"", "env", .notRegex, "dev|test"),
        ("service=checkout", "service", .equal, "checkout"),
        ("alertname=~Latency.*", "alertname", .regex, "Latency.*"),
        ("env!=dev", "env", .notEqual, "dev"),
        ("env!~dev.*", "env", .notRegex, "dev.*"),
        ("  service = \"checkout\"  ", "service", .equal, "checkout"),
        ("\tservice =~ checkout|cart \n", "service", .regex, "checkout|cart"),
        ("env=\"\"", "env", .equal, ""),
        ("env=", "env", .equal, ""),
        ("env!=", "env", .notEqual, ""),
        ("_private_1=x", "_private_1", .equal, "x"),
        ("expr=\"a=b\"", "expr", .equal, "a=b"),
        ("expr=~\"x!=y|z\"", "expr", .regex, "x!=y|z"),
        ("list=\"a, b\"", "list", .equal, "a, b"),
        ("msg=\"say \\\"hi\\\"\"", "msg", .equal, "say \"hi\""),
        ("path=\"C:\\\\temp\"", "path", .equal, "C:\\temp"),
        ("text=\"line1\\nline2\"", "text", .equal, "line1\nline2"),
        ("code=~\"\\d+\"", "code", .regex, "\\d+"),
        ("path=C:\\\\temp", "path", .equal, "C:\\temp"),
        ("trailing=a\\", "trailing", .equal, "a\\"),
        ("spaces=\"  padded  \"", "spaces", .equal, "  padded  "),
    ])
    func parsesEveryForm(text: String, name: String, op: MatchOperator, value: String) throws {
        let matcher = try LabelMatcher(parsing: text)
        #expect(matcher.name == name)
        #expect(matcher.operator == op)
        #expect(matcher.value == value)
    }

    static func parseError(_ text: String) -> MatcherError? {
        do {
            _ = try LabelMatcher(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("", MatcherError.empty),
        ("   ", .empty),
        ("service", .missingOperator(matcher: "service")),
        ("service~checkout", .missingOperator(matcher: "service~checkout")),
        ("1service=x", .invalidLabelName(matcher: "1service=x", name: "1service")),
        ("=x", .invalidLabelName(matcher: "=x", name: "")),
        ("ser-vice=x", .invalidLabelName(matcher: "ser-vice=x", name: "ser-vice")),
        ("a!b=c", .invalidLabelName(matcher: "a!b=c", name: "a!b")),
        ("\"service\"=x", .invalidLabelName(matcher: "\"service\"=x", name: "\"service\"")),
        ("job:rate=x", .invalidLabelName(matcher: "job:rate=x", name: "job:rate")),
        ("service=\"checkout", .unterminatedQuote(matcher: "service=\"checkout")),
        ("service=\"", .unterminatedQuote(matcher: "service=\"")),
        ("service=\"abc\\\"", .unterminatedQuote(matcher: "service=\"abc\\\"")),
        ("service=\"a\"b\"", .unescapedQuote(matcher: "service=\"a\"b\"")),
        ("service=\"a\" \"b\"", .unescapedQuote(matcher: "service=\"a\" \"b\"")),
        ("service=a\"b", .unescapedQuote(matcher: "service=a\"b")),
        ("sev=~(", .invalidRegex(matcher: "sev=~(", pattern: "(", reason: "expected ')'")),
        ("sev!~\"[a-\"", .invalidRegex(matcher: "sev!~\"[a-\"", pattern: "[a-", reason: "expected ']'")),
    ])
    func rejectsMalformedText(text: String, expected: MatcherError) {
        #expect(Self.parseError(text) == expected)
    }

    @Test(arguments: [
        ("", "matcher \"\": empty; expected a label name, an operator (=, !=, =~, !~) and a value, e.g. service=\"checkout\""),
        ("service", "matcher \"service\": no operator; expected one of =, !=, =~, !~ after the label name"),
        ("1a=b", "matcher \"1a=b\": invalid label name \"1a\": must match [a-zA-Z_][a-zA-Z0-9_]*"),
        ("a=\"b", "matcher \"a=\\\"b\": quoted value has no closing double quote"),
        ("a=b\"c", "matcher \"a=b\\\"c\": value contains an unescaped double quote; write it as \\\""),
        ("sev=~(", "matcher \"sev=~(\": invalid regular expression \"(\": expected ')'"),
    ])
    func errorDescriptionsSayWhatAndWhere(text: String, expected: String) {
        #expect(Self.parseError(text)?.description == expected)
    }

    @Test func programmaticConstructionValidatesRegexAndName() throws {
        let matcher = try LabelMatcher(name: "severity", operator: .regex, value: "page|critical")
        #expect(matcher == (try LabelMatcher(parsing: "severity=~\"page|critical\"")))

        #expect(throws: MatcherError.invalidRegex(matcher: "sev=~\"(\"", pattern: "(", reason: "expected ')'")) {
            try LabelMatcher(name: "sev", operator: .regex, value: "(")
        }
        #expect(throws: MatcherError.invalidLabelName(matcher: "bad-name=\"x\"", name: "bad-name")) {
            try LabelMatcher(name: "bad-name", operator: .equal, value: "x")
        }
        // `=` takes the value literally, so regex syntax errors do not apply.
        #expect(try LabelMatcher(name: "sev", operator: .equal, value: "(").value == "(")
    }

    @Test(arguments: [
        ("service", MatchOperator.equal, "checkout", "service=\"checkout\""),
        ("severity", .regex, "page|critical", "severity=~\"page|critical\""),
        ("env", .notEqual, "", "env!=\"\""),
        ("env", .notRegex, "dev.*", "env!~\"dev.*\""),
        ("msg", .equal, "say \"hi\"\nnow \\o/", "msg=\"say \\\"hi\\\"\\nnow \\\\o/\""),
        ("code", .regex, "\\d+", "code=~\"\\\\d+\""),
        ("tab", .equal, "a\tb", "tab=\"a\tb\""),
        ("uni", .equal, "naïve ☃", "uni=\"naïve ☃\""),
    ])
    func descriptionIsCanonicalAndRoundTrips(name: String, op: MatchOperator, value: String, expected: String) throws {
        let matcher = try LabelMatcher(name: name, operator: op, value: value)
        #expect(matcher.description == expected)
        let reparsed = try LabelMatcher(parsing: matcher.description)
        #expect(reparsed == matcher)
        #expect(reparsed.value == value)
    }

    @Test func parsesListsAsAlertmanagerConfigEntries() throws {
        let matchers = try LabelMatcher.parseList("{service=\"checkout\", severity=~\"page|critical\", note=\"a,b\",}")
        #expect(matchers.map(\.description) == ["service=\"checkout\"", "severity=~\"page|critical\"", "note=\"a,b\""])
        #expect(try LabelMatcher.parseList("a=1,b!=2").map(\.description) == ["a=\"1\"", "b!=\"2\""])
        #expect(try LabelMatcher.parseList("{}").isEmpty)
        #expect(throws: MatcherError.missingOperator(matcher: " oops")) { try LabelMatcher.parseList("{a=1, oops}") }
    }
}
