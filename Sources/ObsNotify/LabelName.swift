/// The Prometheus label name rule, `[a-zA-Z_][a-zA-Z0-9_]*`, shared by matchers, `group_by` and
/// inhibition `equal` lists so all three reject the same names.
enum LabelName {
    static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, isLetterOrUnderscore(first) else { return false }
        return name.utf8.dropFirst().allSatisfy { isLetterOrUnderscore($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    private static func isLetterOrUnderscore(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || byte == UInt8(ascii: "_")
    }
}
