import Foundation

extension SBMLTestSuite {
    /// Parses a case selection such as `1-100,205,950-960` into a filter on case ids (numbers compare by
    /// value, so `5` selects `00005`).
    /// - Throws: `SBMLTestSuiteError.badSettings` naming the part that is not a number or range.
    public static func caseFilter(parsing text: String) throws -> @Sendable (String) -> Bool {
        var ranges: [ClosedRange<Int>] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard (1...2).contains(bounds.count), let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]), low <= high else {
                throw SBMLTestSuiteError.badSettings("case selection '\(part)' is not a number or a range like 1-100")
            }
            ranges.append(low...high)
        }
        let selected = ranges
        return { id in
            guard let n = Int(id) else { return false }
            return selected.contains { $0.contains(n) }
        }
    }

    /// What `twin sbml-suite DIR [--report FILE] [--cases 1-100]` does: prints one line per case through
    /// `print`, then `N passed, N failed, N skipped`, and writes the report when asked.
    ///
    /// - Returns: the exit status: 0 when the run completed (whatever the outcomes), 65 when `directory`
    ///   holds no cases or cannot be read, 64 for a bad selection, 70 when the report cannot be written.
    public static func runCommand(directory: String, report: String? = nil, cases: String? = nil,
                                  options: SBMLTestSuiteOptions = .init(workers: ProcessInfo.processInfo.activeProcessorCount),
                                  print: @escaping @Sendable (String) -> Void) -> Int32 {
        let filter: (@Sendable (String) -> Bool)?
        do { filter = try cases.map(caseFilter(parsing:)) } catch {
            print("error: \(error)")
            return 64
        }
        let url = URL(fileURLWithPath: directory)
        let summary: SBMLTestSuiteSummary
        do {
            summary = try run(directory: url, caseFilter: filter, options: options) { print($0.line) }
        } catch {
            print("error: cannot read the test suite folder \(directory): \(error)")
            return 65
        }
        guard !summary.results.isEmpty else {
            print("error: no test cases (folders named NNNNN) in \(directory)")
            return 65
        }
        print(summary.closingLine)
        if let report {
            do { try summary.writeReport(to: URL(fileURLWithPath: report)) } catch {
                print("error: cannot write the report \(report): \(error)")
                return 70
            }
        }
        return 0
    }
}
