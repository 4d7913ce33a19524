extension StringProtocol {
    /// True when every character is an ASCII hex digit (either case): the shape of trace and span ids.
    public var isHexDigits: Bool {
        !isEmpty && utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): true
            default: false
            }
        }
    }
}
