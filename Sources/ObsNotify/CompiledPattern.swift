/// A matcher's regular expression, compiled once and anchored to the whole value the way
/// Alertmanager and Prometheus anchor theirs (`^(?:re)$`).
///
/// `@unchecked Sendable` is safe because every stored property is a `let` that is never mutated
/// after `init`. `Regex<AnyRegexOutput>` is not declared `Sendable` only because its output type
/// is not; its one piece of internal mutable state, the lowered matching program, is created
/// lazily with an atomic compare-and-swap. `init` runs one match so that lowering has already
/// happened before the instance can be shared, leaving only reads across threads.
final class CompiledPattern: @unchecked Sendable {
    struct SyntaxError: Error {
        let reason: String
    }

    private enum Program {
        /// A pure alternation of plain ASCII words (`page|critical`, the common case in routing
        /// trees) needs no regex engine: a set lookup gives the same answer far faster.
        case literals(Set<String>)
        case regex(Regex<AnyRegexOutput>)
    }

    private let program: Program

    init(_ pattern: String) throws(SyntaxError) {
        if let words = Self.literalAlternatives(pattern) {
            program = .literals(words)
            return
        }
        let regex: Regex<AnyRegexOutput>
        do {
            // \A and \z rather than ^ and $: Go's $ never matches before a trailing newline.
            // Unicode-scalar semantics because Go's regexp works on code points, not graphemes.
            regex = try Regex("\\A(?:" + pattern + ")\\z").matchingSemantics(.unicodeScalar)
        } catch {
            // The wrapper can make the message misleading (`[a-` swallows the `)\z` and then
            // fails on `\z`), so prefer what the pattern alone reports when it fails by itself.
            var ownError: (any Error)?
            do { _ = try Regex(pattern) } catch let reason { ownError = reason }
            throw SyntaxError(reason: String(describing: ownError ?? error))
        }
        _ = try? regex.firstMatch(in: "")
        program = .regex(regex)
    }

    func matches(_ value: String) -> Bool {
        switch program {
        case .literals(let words):
            // Only ASCII words are stored, and only an ASCII value can equal one byte for byte;
            // checking first keeps Set's canonical equivalence (e.g. KELVIN SIGN == "K") out.
            return value.utf8.allSatisfy { $0 < 0x80 } && words.contains(value)
        case .regex(let regex):
            return (try? regex.firstMatch(in: value)) != nil
        }
    }

    var usesLiteralFastPath: Bool {
        if case .literals = program { return true }
        return false
    }

    /// The alternatives when `pattern` is `word|word|…` made only of characters that are literal
    /// in every regex dialect; nil when it needs the regex engine.
    static func literalAlternatives(_ pattern: String) -> Set<String>? {
        for byte in pattern.utf8 where !isLiteral(byte) && byte != UInt8(ascii: "|") {
            return nil
        }
        return Set(pattern.split(separator: "|", omittingEmptySubsequences: false).map(String.init))
    }

    private static func isLiteral(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: "/"),
             UInt8(ascii: ","), UInt8(ascii: "="), UInt8(ascii: "@"), UInt8(ascii: "%"), UInt8(ascii: "!"),
             UInt8(ascii: ";"), UInt8(ascii: "~"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "&"):
            true
        default:
            false
        }
    }
}
