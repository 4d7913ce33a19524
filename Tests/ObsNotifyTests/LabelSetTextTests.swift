import Testing
@testable import ObsNotify

struct LabelSetTextTests {
    @Test(arguments: [
        ("plain", "\"plain\""),
        ("", "\"\""),
        ("a\"b", "\"a\\\"b\""),
        ("a\\b", "\"a\\\\b\""),
        ("\n\t\r", "\"\\n\\t\\r\""),
        ("\u{7}\u{8}\u{B}\u{C}", "\"\\a\\b\\v\\f\""),
        ("\u{1}", "\"\\x01\""),
        ("\u{7F}", "\"\\x7f\""),
        ("naïve", "\"naïve\""),
        ("\u{A0}", "\"\\u00a0\""),
        ("\u{AD}", "\"\\u00ad\""),
        ("\u{2028}", "\"\\u2028\""),
        ("\u{E000}", "\"\\ue000\""),
        ("😀 ☃", "\"😀 ☃\""),
        ("\u{F0000}", "\"\\U000f0000\""),
    ])
    func quotesLikeGoStrconvQuote(value: String, expected: String) {
        #expect(GoQuote.quote(value) == expected)
    }

    @Test func rendersSortedCommaSpaceSeparated() {
        #expect(LabelSetText.render(["service": "checkout", "alertname": "HighErrorRate", "Zone": "eu"])
            == "{Zone=\"eu\", alertname=\"HighErrorRate\", service=\"checkout\"}")
        #expect(LabelSetText.render([:]) == "{}")
    }
}
