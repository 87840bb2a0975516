import ArgumentParser
import Conformance
import Foundation
import Simulation

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
    @Option(help: "Integration method: auto, dopri5, rodas4 or rodas5p (each must pass the suite on its own).")
    var solver: String = "auto"

    func run() throws {
        guard let method = SolverMethod(rawValue: solver) else {
            throw ValidationError("unknown solver '\(solver)'; choose one of \(SolverMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let options = SBMLTestSuiteOptions(method: method, workers: ProcessInfo.processInfo.activeProcessorCount)
        let status = SBMLTestSuite.runCommand(directory: directory, report: report, cases: cases, options: options) { line in
            print(line)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
