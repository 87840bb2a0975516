/// Why a built-in model could not be provided.
public enum ModelLibraryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No built-in model has this name; `available` lists the names that exist.
    case unknownModel(name: String, available: [String])
    /// A resource file of a listed model is missing or not UTF-8 (a packaging bug).
    case unreadableResource(name: String, file: String)
    /// The model's metadata JSON does not decode as a ``LibraryEntry`` (a packaging bug).
    case invalidMetadata(name: String, reason: String)

    public var description: String {
        switch self {
        case .unknownModel(let name, let available):
            return "unknown built-in model '\(name)'; available: \(available.joined(separator: ", "))"
        case .unreadableResource(let name, let file):
            return "built-in model '\(name)': cannot read resource \(file)"
        case .invalidMetadata(let name, let reason):
            return "built-in model '\(name)': invalid metadata (\(name).json): \(reason)"
        }
    }
}
