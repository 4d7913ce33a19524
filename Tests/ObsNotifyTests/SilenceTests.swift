import ObsCore
import Testing
@testable import ObsNotify

struct SilenceTests {
    static let start = Timestamp(nanoseconds: 1_700_000_000_000_000_000)
    static let end = start.adding(nanoseconds: 3_600_000_000_000)

    static func silence(id: String = "s1", _ matchers: String, from: Timestamp = start, to: Timestamp = end) throws -> Silence {
        try Silence.validated(id: id, matchers: LabelMatcher.parseList(matchers), startsAt: from, endsAt: to,
                              comment: "deploy", author: "ops", createdAt: from.adding(nanoseconds: -1))
    }

    @Test(arguments: [
        (start.adding(nanoseconds: -1), SilenceState.pending),
        (Timestamp.earliest, .pending),
        (start, .active),
        (start.adding(nanoseconds: 1), .active),
        (end.adding(nanoseconds: -1), .active),
        (end, .expired),
        (end.adding(nanoseconds: 1), .expired),
    ])
    func stateAtBoundaries(now: Timestamp, expected: SilenceState) throws {
        #expect(try Self.silence("service=checkout").state(at: now) == expected)
    }

    @Test(arguments: [
        (["service": "checkout", "severity": "warning"], true),
        (["service": "checkout", "severity": "info", "alertname": "X"], true),
        (["service": "checkout", "severity": "critical"], false),
        (["service": "checkout"], false),
        (["service": "cart", "severity": "warning"], false),
    ])
    func matchesByMatchers(labels: [String: String], expected: Bool) throws {
        let silence = try Self.silence("service=checkout, severity=~\"warning|info\"")
        #expect(silence.matches(labels) == expected)
    }

    static func validationError(_ matchers: [LabelMatcher], id: String = "s1", from: Timestamp = start, to: Timestamp = end) -> SilenceError? {
        do {
            _ = try Silence.validated(id: id, matchers: matchers, startsAt: from, endsAt: to, author: "ops", createdAt: from)
            return nil
        } catch {
            return error
        }
    }

    @Test func validationErrors() throws {
        let checkout = try LabelMatcher.parseList("service=checkout")
        #expect(Self.validationError(checkout, id: "") == .missingID)
        #expect(Self.validationError([]) == .noMatchers)
        let matchAll = try LabelMatcher.parseList("env=~\".*\", team=\"\", zone!=\"eu\"")
        #expect(Self.validationError(matchAll) == .matchesEveryAlert(matchers: "{env=~\".*\",team=\"\",zone!=\"eu\"}"))
        #expect(Self.validationError(checkout, to: Self.start) == .endsNotAfterStart(startsAt: Self.start, endsAt: Self.start))
        #expect(Self.validationError(checkout, to: Self.start.adding(nanoseconds: -1)) != nil)
        #expect(Self.validationError(checkout) == nil)
        #expect(Self.validationError(try LabelMatcher.parseList("env=~\".*\", service=checkout")) == nil)
    }

    @Test func emptyCommentIsAccepted() throws {
        let silence = try Silence.validated(id: "s1", matchers: LabelMatcher.parseList("service=checkout"),
                                            startsAt: Self.start, endsAt: Self.end, author: "ops", createdAt: Self.start)
        #expect(silence.comment == "")
    }

    @Test func errorDescriptions() {
        #expect(SilenceError.noMatchers.description == "silence: at least one matcher is required")
        #expect(SilenceError.matchesEveryAlert(matchers: "{env=~\".*\"}").description
            == "silence {env=~\".*\"}: every matcher matches the empty string, so it would silence every alert; "
            + "at least one matcher must not match the empty string")
        #expect(SilenceError.endsNotAfterStart(startsAt: Timestamp(nanoseconds: 0), endsAt: Timestamp(nanoseconds: 0)).description
            == "silence: ends_at must be after starts_at (starts_at 1970-01-01T00:00:00.000000000Z, ends_at 1970-01-01T00:00:00.000000000Z)")
    }

    @Test func silencesReturnActiveMatchingIDs() throws {
        let later = Self.end.adding(nanoseconds: 1_000)
        let silences = Silences([
            try Self.silence(id: "checkout", "service=checkout"),
            try Self.silence(id: "warnings", "severity=warning"),
            try Self.silence(id: "other", "service=cart"),
            try Self.silence(id: "future", "service=checkout", from: Self.end, to: later),
            try Self.silence(id: "past", "service=checkout", from: Self.start.adding(nanoseconds: -10), to: Self.start),
        ])
        let alert = ["service": "checkout", "severity": "warning"]
        #expect(silences.silencing(alert, at: Self.start) == ["checkout", "warnings"])
        #expect(silences.isSilenced(alert, at: Self.start))
        #expect(silences.silencing(alert, at: Self.end) == ["future"])
        #expect(silences.silencing(alert, at: later).isEmpty)
        #expect(!silences.isSilenced(["service": "search"], at: Self.start))
        #expect(silences.active(at: Self.start).map(\.id) == ["checkout", "warnings", "other"])
    }
}
