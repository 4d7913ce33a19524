/// Go compares and sorts strings byte by byte; Swift's `String` operators use canonical
/// equivalence. Keys and matches must agree with Alertmanager, so these compare UTF-8 bytes.
enum ByteOrder {
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count && lhs.utf8.elementsEqual(rhs.utf8)
    }

    static func less(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
