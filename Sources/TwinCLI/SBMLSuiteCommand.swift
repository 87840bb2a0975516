import ArgumentParser
import Conformance
import Foundation

struct SBMLSuiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sbml-suite",
        abstract: "Run SBML Test Suite semantic cases: one line per case, then `N passed, N failed, N skipped`.")

    @Argument(help: "Folder holding the case folders NNNNN/ (e.g. ../shared/data/sbml-test-suite/semantic).")
    var directory: String
    @Option(help: "Write a per-tag report (Markdown) to this file.")
    var report: String?
    @Option(help: "Only these cases, e.g. 1-100,205.")
    var cases: String?

    func run() throws {
        let status = SBMLTestSuite.runCommand(directory: directory, report: report, cases: cases) { line in
            print(line)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
