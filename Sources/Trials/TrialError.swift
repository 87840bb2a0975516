/// A problem with a trial specification or trial output, naming where it is.
///
/// For a spec, `line` and `column` are 1-based positions in the YAML file (from the YAML node's mark);
/// for output folders, `file` names the file.
public struct TrialError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(_ message: String, file: String? = nil, line: Int? = nil, column: Int? = nil) {
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        var prefix = file ?? ""
        if let line {
            prefix += (prefix.isEmpty ? "" : ":") + "line \(line)"
            if let column { prefix += ", column \(column)" }
        }
        return prefix.isEmpty ? message : "\(prefix): \(message)"
    }
}

/// Where an element of the spec was written (1-based line and column).
public struct SpecLocation: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "line \(line), column \(column)" }

    /// An error at this location.
    func error(_ message: String, file: String? = nil) -> TrialError {
        TrialError(message, file: file, line: line, column: column)
    }
}
