import ObsCore

extension JSONWriter {
    /// Writes labels or annotations as an object with keys in byte order, as Go's encoder
    /// sorts map keys: the same group always yields the same bytes (and signature).
    mutating func stringMap(_ map: [String: String]) {
        beginObject()
        for (name, value) in map.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            key(name)
            string(value)
        }
        endObject()
    }

    /// JSON has no NaN or infinity: those, like a missing value, are written as null.
    mutating func number(_ value: Double?) {
        if let value { double(value) } else { null() }
    }
}
