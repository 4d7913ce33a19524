import ObsStorage

/// Why an incident action was refused, as the API answers it.
public enum IncidentError: Error, CustomStringConvertible {
    case notFound(Int64)
    case conflict(Int64, String)
    case noteTooLarge(Int)
    case invalid(String)
    case store(StorageError)

    public static let maximumNoteBytes = 64 * 1024

    public var description: String {
        switch self {
        case .notFound(let id): "incident \(id) does not exist"
        case .conflict(let id, let reason): "incident \(id) \(reason)"
        case .noteTooLarge(let bytes): "a note holds at most \(Self.maximumNoteBytes) bytes; this one has \(bytes)"
        case .invalid(let reason): reason
        case .store(let error): "\(error)"
        }
    }
}
