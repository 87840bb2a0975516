/// A problem with a PEtab file: the file, the 1-based line (rows count from the header, line 1) and the
/// column where there is one, and what is wrong.
///
/// Rendered as `file:line: column 'name': message`, e.g.
/// `measurementData.tsv:12: column 'time': 'abc' is not a number`.
public struct PEtabError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file name as the problem YAML gives it (or the YAML file itself).
    public var file: String
    /// 1-based line in the file (the TSV header is line 1), when the problem is in one line.
    public var line: Int?
    /// The column name, when the problem is in one cell or a missing column.
    public var column: String?
    public var message: String

    public init(file: String, line: Int? = nil, column: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var out = file
        if let line { out += ":\(line)" }
        out += ": "
        if let column { out += "column '\(column)': " }
        return out + message
    }
}
