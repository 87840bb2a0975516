import Foundation

/// A tab-separated table as PEtab writes it: a header line of column names, then one line per row.
/// Cells are kept as trimmed text; blank lines are skipped; `\r\n` line ends are accepted (one Character in Swift, so split on both).
struct TSVTable {
    let file: String
    let columns: [String]
    /// The rows' cells, aligned with `columns` (short rows padded with empty cells).
    let rows: [[String]]
    /// The 1-based line number of each row in the file.
    let lines: [Int]
    private let index: [String: Int]

    /// Parses `text`.
    /// - Throws: `PEtabError` for an empty file, duplicate column names or a row with more cells than the header.
    init(text: String, file: String) throws {
        self.file = file
        var header: [String]?
        var rows: [[String]] = [], lines: [Int] = []
        var lineNumber = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard let header else {
                header = cells
                continue
            }
            guard cells.count <= header.count || cells[header.count...].allSatisfy(\.isEmpty) else {
                throw PEtabError(file: file, line: lineNumber,
                                 message: "row has \(cells.count) cells but the header has \(header.count) columns")
            }
            rows.append(Array((cells + Array(repeating: "", count: max(0, header.count - cells.count)))[..<header.count]))
            lines.append(lineNumber)
        }
        guard let header else { throw PEtabError(file: file, message: "the table is empty (no header line)") }
        var index: [String: Int] = [:]
        for (k, name) in header.enumerated() where !name.isEmpty {
            if index[name] != nil { throw PEtabError(file: file, line: 1, column: name, message: "duplicate column") }
            index[name] = k
        }
        columns = header
        self.rows = rows
        self.lines = lines
        self.index = index
    }

    /// Reads and parses the file at `url`; `name` is how errors name it.
    init(contentsOf url: URL, name: String) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PEtabError(file: name, message: "cannot read \(url.path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PEtabError(file: name, message: "not valid UTF-8 text")
        }
        try self.init(text: text, file: name)
    }

    func has(_ column: String) -> Bool { index[column] != nil }

    /// Throws when a required column is missing.
    func require(_ names: String...) throws {
        for name in names where index[name] == nil {
            throw PEtabError(file: file, line: 1, column: name, message: "required column is missing")
        }
    }

    /// The cell of `column` in row `row` ("" when the table has no such column).
    func cell(_ row: Int, _ column: String) -> String {
        guard let k = index[column] else { return "" }
        return rows[row][k]
    }

    /// A required non-empty cell.
    func text(_ row: Int, _ column: String) throws -> String {
        let v = cell(row, column)
        guard !v.isEmpty else { throw error(row, column, "a value is required") }
        return v
    }

    /// A number: decimal or `inf`/`-inf`/`nan` in any case; an empty cell reads as `empty`.
    func number(_ row: Int, _ column: String, empty: Double? = nil) throws -> Double {
        let v = cell(row, column)
        if v.isEmpty, let empty { return empty }
        guard let x = TSVTable.parseNumber(v) else { throw error(row, column, "'\(v)' is not a number") }
        return x
    }

    static func parseNumber(_ text: String) -> Double? {
        switch text.lowercased() {
        case "inf", "+inf", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: return Double(text)
        }
    }

    func error(_ row: Int, _ column: String?, _ message: String) -> PEtabError {
        PEtabError(file: file, line: lines[row], column: column, message: message)
    }
}
