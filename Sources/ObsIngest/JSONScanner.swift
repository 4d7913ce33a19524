/// A validating, allocation-light JSON scanner over UTF-8 bytes.
///
/// Decoders walk objects member by member with it: recognised members are read into Swift
/// values, the rest are skipped and kept as byte ranges so that unknown fields (nested JSON
/// included) can be stored exactly as sent without being rebuilt. Every value that is
/// skipped is still fully validated: syntax, UTF-8 inside strings, control characters,
/// number grammar and a nesting limit that keeps hostile input from exhausting the stack.
public struct JSONScanner {
    public enum Kind: Equatable, Sendable {
        case object, array, string, number, bool, null

        public var article: String {
            switch self {
            case .object: "an object"
            case .array: "an array"
            case .string: "a string"
            case .number: "a number"
            case .bool: "a boolean"
            case .null: "null"
            }
        }
    }

    public static let maximumDepth = 100

    public let bytes: UnsafeBufferPointer<UInt8>
    public var index: Int

    public init(bytes: UnsafeBufferPointer<UInt8>, index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    public var isAtEnd: Bool { index >= bytes.count }

    @inline(__always)
    public mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// The kind of the value starting at the current position (after whitespace).
    public mutating func peekKind() throws(JSONSyntaxError) -> Kind {
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw error("unexpected character \(Self.describe(bytes[index])), expected a value")
        }
    }

    public mutating func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws(JSONSyntaxError) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else {
            throw error(index < bytes.count ? "expected \(what()), found \(Self.describe(bytes[index]))" : "unexpected end of input, expected \(what())")
        }
        index += 1
    }

    /// Walks the members of the object starting here, calling `member` with each key; the
    /// callback must consume the value (read it or `skipValue`).
    public mutating func forEachMember(
        depth: Int = 1, _ member: (inout JSONScanner, _ key: String, _ keyRange: Range<Int>) throws(JSONSyntaxError) -> Void
    ) throws(JSONSyntaxError) {
        try checkDepth(depth)
        try expect(UInt8(ascii: "{"), "'{'")
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return }
        while true {
            skipWhitespace()
            let keyStart = index
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error(index < bytes.count ? "expected a string key, found \(Self.describe(bytes[index]))" : "unexpected end of input inside an object")
            }
            let key = try readString()
            let keyRange = keyStart..<index
            try expect(UInt8(ascii: ":"), "':' after an object key")
            skipWhitespace()
            try member(&self, key, keyRange)
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input inside an object") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return
            default: throw error("expected ',' or '}' after an object member, found \(Self.describe(bytes[index]))")
            }
        }
    }

    /// Walks the elements of the array starting here; the callback must consume each element.
    public mutating func forEachElement(
        depth: Int = 1, _ element: (inout JSONScanner, _ position: Int) throws(JSONSyntaxError) -> Void
    ) throws(JSONSyntaxError) {
        try checkDepth(depth)
        try expect(UInt8(ascii: "["), "'['")
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return }
        var position = 0
        while true {
            skipWhitespace()
            try element(&self, position)
            position += 1
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input inside an array") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return
            default: throw error("expected ',' or ']' after an array element, found \(Self.describe(bytes[index]))")
            }
        }
    }

    /// Validates and steps over one value of any kind; returns its kind and byte range.
    @discardableResult
    public mutating func skipValue(depth: Int = 1) throws(JSONSyntaxError) -> (kind: Kind, range: Range<Int>) {
        let kind = try peekKind()
        let start = index
        switch kind {
        case .object:
            try forEachMember(depth: depth) { (scanner: inout JSONScanner, _: String, _: Range<Int>) throws(JSONSyntaxError) in
                try scanner.skipValue(depth: depth + 1)
            }
        case .array:
            try forEachElement(depth: depth) { (scanner: inout JSONScanner, _: Int) throws(JSONSyntaxError) in
                try scanner.skipValue(depth: depth + 1)
            }
        case .string: try skipString()
        case .number: _ = try readNumber()
        case .bool: _ = try readBool()
        case .null: try readLiteral("null")
        }
        return (kind, start..<index)
    }

    /// Reads a string value, decoding escapes.
    public mutating func readString() throws(JSONSyntaxError) -> String {
        let start = index
        let hasEscapes = try skipString()
        let contentStart = start + 1
        let contentEnd = index - 1
        if !hasEscapes {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<contentEnd]), as: UTF8.self)
        }
        return decodeEscapedString(contentStart..<contentEnd)
    }

    /// Reads a number and returns its exact text range; the grammar is JSON's.
    public mutating func readNumber() throws(JSONSyntaxError) -> Range<Int> {
        skipWhitespace()
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number: expected a digit") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw error("invalid number: leading zero") }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number: expected a digit after '.'") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number: expected a digit in the exponent") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        return start..<index
    }

    public mutating func readBool() throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "t") {
            try readLiteral("true")
            return true
        }
        try readLiteral("false")
        return false
    }

    public func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    public func error(_ reason: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: index, reason: reason)
    }

    // MARK: - Internals

    private func checkDepth(_ depth: Int) throws(JSONSyntaxError) {
        if depth > Self.maximumDepth {
            throw error("nested deeper than \(Self.maximumDepth) levels")
        }
    }

    private mutating func readLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let count = literal.utf8CodeUnitCount
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        guard index + count <= bytes.count, (0..<count).allSatisfy({ bytes[index + $0] == expected[$0] }) else {
            throw error("unexpected text, expected a JSON value")
        }
        index += count
    }

    /// Steps over a string, validating escapes, control characters and UTF-8.
    /// Returns whether the string contains escapes.
    @discardableResult
    private mutating func skipString() throws(JSONSyntaxError) -> Bool {
        index += 1  // opening quote
        var hasEscapes = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return hasEscapes
            } else if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                index += 1
                guard index < bytes.count else { break }
                switch bytes[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 1
                case UInt8(ascii: "u"):
                    guard index + 4 < bytes.count,
                          (1...4).allSatisfy({ hexValue(bytes[index + $0]) != nil }) else {
                        throw error("invalid \\u escape in a string")
                    }
                    index += 5
                default:
                    throw error("invalid escape \\\(Self.printable(bytes[index])) in a string")
                }
            } else if byte < 0x20 {
                throw error("unescaped control character \(Self.describe(byte)) in a string")
            } else if byte < 0x80 {
                index += 1
            } else {
                try skipUTF8Sequence()
            }
        }
        throw error("unexpected end of input inside a string")
    }

    /// Validates one multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
    private mutating func skipUTF8Sequence() throws(JSONSyntaxError) {
        let lead = bytes[index]
        let length: Int
        var lowerBound: UInt8 = 0x80
        var upperBound: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upperBound = 0x9F
        case 0xF0: length = 4; lowerBound = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upperBound = 0x8F
        default: throw error("invalid UTF-8 byte 0x\(String(lead, radix: 16, uppercase: true))")
        }
        guard index + length <= bytes.count else { throw error("truncated UTF-8 sequence") }
        let second = bytes[index + 1]
        guard second >= lowerBound, second <= upperBound else {
            throw error("invalid UTF-8 sequence starting with byte 0x\(String(lead, radix: 16, uppercase: true))")
        }
        for offset in 2..<max(2, length) where bytes[index + offset] & 0xC0 != 0x80 {
            throw error("invalid UTF-8 sequence starting with byte 0x\(String(lead, radix: 16, uppercase: true))")
        }
        index += length
    }

    private func decodeEscapedString(_ range: Range<Int>) -> String {
        var scalars = String.UnicodeScalarView()
        var utf8: [UInt8] = []
        utf8.reserveCapacity(range.count)
        var i = range.lowerBound
        func flush() {
            if !utf8.isEmpty {
                scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
                utf8.removeAll(keepingCapacity: true)
            }
        }
        func hex4(_ at: Int) -> UInt32 {
            (0..<4).reduce(UInt32(0)) { $0 << 4 | UInt32(hexValue(bytes[at + $1]) ?? 0) }
        }
        while i < range.upperBound {
            let byte = bytes[i]
            guard byte == UInt8(ascii: "\\") else { utf8.append(byte); i += 1; continue }
            let escape = bytes[i + 1]
            i += 2
            switch escape {
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                flush()
                var code = hex4(i)
                i += 4
                if (0xD800...0xDBFF).contains(code), i + 6 <= range.upperBound,
                   bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                    let low = hex4(i + 2)
                    if (0xDC00...0xDFFF).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                // A lone surrogate cannot be represented; it becomes U+FFFD as in most decoders.
                scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            default: utf8.append(escape)  // \" \\ \/
            }
        }
        flush()
        return String(scalars)
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    private static func printable(_ byte: UInt8) -> String {
        byte >= 0x21 && byte < 0x7F ? String(Character(Unicode.Scalar(byte))) : "0x\(String(byte, radix: 16))"
    }
}

@inline(__always)
func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
