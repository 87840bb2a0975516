import Foundation

/// The `NNNNN-results.csv` of an SBML Test Suite case: expected values at each output time.
///
/// The header is `time,<ids>` (spaces after commas are allowed); values may be `INF`, `-INF` or `NaN`.
public struct SBMLExpectedResults: Hashable, Sendable {
    /// Column names after `time`.
    public var columns: [String]
    /// Output times, one per row.
    public var times: [Double]
    /// `rows[i][j]` is the expected value of `columns[j]` at `times[i]`.
    public var rows: [[Double]]

    public init(columns: [String], times: [Double], rows: [[Double]]) {
        self.columns = columns
        self.times = times
        self.rows = rows
    }

    /// Parses the CSV text.
    /// - Throws: `SBMLTestSuiteError.badResults` naming the line that is malformed.
    public init(parsing text: String) throws {
        var lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !lines.isEmpty else { throw SBMLTestSuiteError.badResults("empty file") }
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard header.first?.lowercased() == "time", header.count >= 2 else {
            throw SBMLTestSuiteError.badResults("the header must be 'time,<ids>', got '\(header.joined(separator: ","))'")
        }
        var times: [Double] = []
        var rows: [[Double]] = []
        for (i, line) in lines.enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == header.count else {
                throw SBMLTestSuiteError.badResults("line \(i + 2) has \(fields.count) fields, the header \(header.count)")
            }
            var values: [Double] = []
            for field in fields {
                guard let v = Self.number(String(field)) else {
                    throw SBMLTestSuiteError.badResults("line \(i + 2): '\(field)' is not a number")
                }
                values.append(v)
            }
            times.append(values[0])
            rows.append(Array(values.dropFirst()))
        }
        self.init(columns: Array(header.dropFirst()), times: times, rows: rows)
    }

    /// Parses a number as the suite writes them (including `INF`, `-INF`, `NaN`).
    static func number(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch t.uppercased() {
        case "INF", "+INF", "INFINITY": return .infinity
        case "-INF", "-INFINITY": return -.infinity
        case "NAN": return .nan
        default: return Double(t)
        }
    }
}
