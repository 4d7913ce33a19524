extension JSONScanner {
    /// Walks the members of one record, which must be a JSON object. A value of another kind
    /// (validated first, so `nonsense` is a syntax error and `"text"` is not an object) and
    /// JSON that does not parse become the `RecordError` the framing reports for the line.
    public mutating func forEachRecordMember(
        _ member: (inout JSONScanner, _ key: String, _ keyRange: Range<Int>) throws(JSONSyntaxError) -> Void
    ) throws(RecordError) {
        let kind: Kind
        do throws(JSONSyntaxError) { kind = try peekKind() } catch { throw .syntax(error) }
        if kind != .object {
            let skipped: Kind
            do throws(JSONSyntaxError) { skipped = try skipValue().kind } catch { throw .syntax(error) }
            throw .invalid("expected a JSON object, got \(skipped.article)")
        }
        do throws(JSONSyntaxError) { try forEachMember(member) } catch { throw .syntax(error) }
    }
}
