import Testing
@testable import ObsNotify

struct LabelMatcherMatchingTests {
    @Test(arguments: [
        ("alertname=~Latency", "HighLatency", false),
        ("alertname=~Latency", "Latency", true),
        ("alertname=~Latency", "LatencyHigh", false),
        ("alertname=~\"Latency.*\"", "LatencyHigh", true),
        ("alertname=~\"Latency.*\"", "HighLatency", false),
        ("alertname!~\"Latency.*\"", "HighLatency", true),
        ("alertname!~\"Latency.*\"", "LatencyHigh", false),
        ("severity=~\"page|critical\"", "critical", true),
        ("severity=~\"page|critical\"", "pagecritical", false),
        ("severity=~\"page|critical\"", "page|critical", false),
        ("service=~\"cart|payment\"", "cartography", false),
        ("alertname=~\"foo\"", "foo\n", false),
        ("code=~\"5\\d\\d\"", "503", true),
        ("code=~\"5\\d\\d\"", "5033", false),
        ("severity=~\"(?i)critical\"", "CRITICAL", true),
        ("name=~\"caf.\"", "café", true),
        ("service=checkout", "checkout", true),
        ("service=checkout", "Checkout", false),
        ("service!=checkout", "cart", true),
        ("unit=\"K\"", "\u{212A}", false),
        ("unit=~\"K|C\"", "\u{212A}", false),
        ("word=\"é\"", "e\u{301}", false),
    ])
    func regexesAreFullyAnchored(matcher text: String, value: String, expected: Bool) throws {
        let matcher = try LabelMatcher(parsing: text)
        let labelName = matcher.name
        #expect(matcher.matches([labelName: value]) == expected)
        #expect(matcher.matches(value: value) == expected)
    }

    @Test func unbalancedGroupsAnchorLikeGo() throws {
        // Go compiles `^(?:a)|(b)$`: a prefix "a" or a suffix "b" matches.
        let matcher = try LabelMatcher(parsing: "x=~\"a)|(b\"")
        #expect(matcher.matches(value: "a…"))
        #expect(matcher.matches(value: "…b"))
        #expect(!matcher.matches(value: "c"))
    }

    @Test(arguments: [
        ("env=\"\"", false, true, true),
        ("env!=\"\"", true, false, false),
        ("env!=\"prod\"", false, true, true),
        ("env=\"prod\"", true, false, false),
        ("env=~\".*\"", true, true, true),
        ("env=~\".+\"", true, false, false),
        ("env=~\"prod|\"", true, true, true),
        ("env!~\"prod\"", false, true, true),
    ])
    func missingLabelMatchesAsEmpty(matcher text: String, matchesProd: Bool, matchesMissing: Bool, matchesEmpty: Bool) throws {
        let matcher = try LabelMatcher(parsing: text)
        #expect(matcher.matches(["env": "prod"]) == matchesProd)
        #expect(matcher.matches(["service": "checkout"]) == matchesMissing)
        #expect(matcher.matches(["env": ""]) == matchesMissing)
        #expect(matcher.matchesEmpty == matchesEmpty)
    }

    @Test(arguments: ["page|critical", "checkout", "a|", "|", "", "x-y|z_w|a b", "a=b|c!=d", "a\"b|c'd|e~f&g%h@i;j/k,l:m"])
    func literalFastPathAgreesWithRegexEngine(pattern: String) throws {
        let compiled = try CompiledPattern(pattern)
        #expect(compiled.usesLiteralFastPath)
        let reference = try Regex("\\A(?:" + pattern + ")\\z")
        let candidates = pattern.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            + ["", "x", "page|critical", "PAGE", "a b", "c!=d", "checkout2", "\u{212A}"]
        for candidate in candidates {
            #expect(compiled.matches(candidate) == ((try reference.firstMatch(in: candidate)) != nil), "\(candidate)")
        }
    }

    @Test(arguments: ["a.b", "(a)", "a*", "a+", "[ab]", "a?", "\\d", "^a$", "a{2}", "a$"])
    func regexSyntaxSkipsFastPath(pattern: String) throws {
        #expect(try !CompiledPattern(pattern).usesLiteralFastPath)
    }

    @Test func arrayMatchesOnlyWhenAllMatch() throws {
        let matchers = try LabelMatcher.parseList("service=checkout, severity=~\"page|critical\"")
        #expect(matchers.matches(["service": "checkout", "severity": "page"]))
        #expect(!matchers.matches(["service": "checkout", "severity": "warning"]))
        #expect(!matchers.matches(["service": "cart", "severity": "page"]))
        #expect([LabelMatcher]().matches([:]))
        #expect(matchers.setString == "{service=\"checkout\",severity=~\"page|critical\"}")
        #expect([LabelMatcher]().setString == "{}")
    }

    @Test func equalityIgnoresNothingButNameOperatorValue() throws {
        let a = try LabelMatcher(parsing: "service=checkout")
        #expect(a == (try LabelMatcher(parsing: "service=\"checkout\"")))
        #expect(a != (try LabelMatcher(parsing: "service!=checkout")))
        #expect(a != (try LabelMatcher(parsing: "service=cart")))
        #expect(a != (try LabelMatcher(parsing: "team=checkout")))
        #expect(Set([a, try LabelMatcher(parsing: "service = checkout")]).count == 1)
    }

    @Test func matchesThousandsOfAlerts() throws {
        let matchers = try LabelMatcher.parseList("alertname=~\"Latency.*\", severity=~\"page|critical\", env!=\"dev\"")
        let alerts = (0..<5000).map { index -> [String: String] in
            ["alertname": index.isMultiple(of: 2) ? "LatencyHigh\(index)" : "ErrorRate", "severity": index.isMultiple(of: 3) ? "page" : "info",
             "env": index.isMultiple(of: 5) ? "dev" : "prod"]
        }
        let matched = alerts.filter { matchers.matches($0) }.count
        // Even, multiple of 3, not of 5: multiples of 6 minus multiples of 30.
        #expect(matched == 834 - 167)
    }
}
