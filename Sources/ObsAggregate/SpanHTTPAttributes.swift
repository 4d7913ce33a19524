/// The HTTP attributes aggregation labels a span with, found in its stored attribute object
/// (OpenTelemetry semantic conventions, current and pre-1.20 names): `http.route`,
/// `http.request.method` / `http.method`, `http.response.status_code` / `http.status_code`.
///
/// Only the top level of the object is read, with a scan that skips values without building
/// them: aggregation reads every request span, and most attributes are not these.
struct SpanHTTPAttributes: Equatable {
    var route: String?
    var method: String?
    var statusCode: Int?

    init(route: String? = nil, method: String? = nil, statusCode: Int? = nil) {
        self.route = route
        self.method = method
        self.statusCode = statusCode
    }

    init(json: String) {
        var text = json
        let found = text.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes)
            return scanner.members()
        }
        self = found
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func members() -> SpanHTTPAttributes {
            var found = SpanHTTPAttributes()
            skipSpaces()
            guard take(UInt8(ascii: "{")) else { return found }
            while true {
                skipSpaces()
                guard let key = stringBytes() else { return found }
                skipSpaces()
                guard take(UInt8(ascii: ":")) else { return found }
                skipSpaces()
                switch key {
                case "http.route": found.route = stringValue() ?? found.route
                case "http.request.method", "http.method": found.method = stringValue() ?? found.method
                case "http.response.status_code", "http.status_code": found.statusCode = integerValue() ?? found.statusCode
                default: guard skipValue() else { return found }
                }
                skipSpaces()
                guard take(UInt8(ascii: ",")) else { return found }
            }
        }

        mutating func skipSpaces() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
                index += 1
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// A string token's raw content (escapes kept), or nil when none starts here.
        mutating func stringBytes() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""):
                    let raw = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return raw
                default: index += 1
                }
            }
            return nil
        }

        /// A string value unescaped (routes and methods rarely carry escapes), or nil and the
        /// value skipped when it is not a string.
        mutating func stringValue() -> String? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                _ = skipValue()
                return nil
            }
            guard let raw = stringBytes() else { return nil }
            guard raw.contains("\\") else { return raw }
            var unescaped = ""
            var escaping = false
            for character in raw {
                if escaping {
                    switch character {
                    case "n": unescaped.append("\n")
                    case "t": unescaped.append("\t")
                    default: unescaped.append(character)
                    }
                    escaping = false
                } else if character == "\\" {
                    escaping = true
                } else {
                    unescaped.append(character)
                }
            }
            return unescaped
        }

        /// A number, or a string holding one (OTLP JSON sends 64-bit integers as strings).
        mutating func integerValue() -> Int? {
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                return stringBytes().flatMap { Int($0) }
            }
            let start = index
            guard skipValue() else { return nil }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            return Int(text) ?? Double(text).flatMap { $0.isFinite ? Int($0) : nil }
        }

        /// Skips one value of any type; false on malformed input.
        mutating func skipValue() -> Bool {
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                return stringBytes() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: "\""):
                        guard stringBytes() != nil else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            index += 1
                            return true
                        }
                    default: break
                    }
                    index += 1
                }
                return false
            default:
                while index < bytes.count, bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: "}") { index += 1 }
                while index > 0, bytes[index - 1] == 0x20 { index -= 1 }
                return true
            }
        }
    }
}
