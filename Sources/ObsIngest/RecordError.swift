/// Why one record (one JSON object) was rejected; the framing adds its line number.
public enum RecordError: Error, Equatable, Sendable {
    /// Not JSON at all, at a byte offset within the body.
    case syntax(JSONSyntaxError)
    /// Valid JSON that obs cannot accept, with the reason.
    case invalid(String)
}
