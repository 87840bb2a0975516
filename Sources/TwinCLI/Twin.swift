import ArgumentParser
import Foundation
import ImmuneTwin

/// The `twin` command-line tool. Exit status: 0 success, 64 usage error, 65 bad input data, 70 internal error.
@main
struct Twin: ParsableCommand {
    static let version = "0.1.0"
    static let configuration = CommandConfiguration(
        commandName: "twin",
        abstract: "ImmuneTwin: immune digital twins and virtual clinical trials.",
        version: version,
        subcommands: [SimulateCommand.self, ModelsCommand.self, SBMLSuiteCommand.self, BenchCommand.self, TrialCommand.self,
                      DemoCommand.self, FitCommand.self, PatientCommand.self])
}

/// Bad input data (exit 65) with a one-line message naming the offending element.
struct InputError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension ParsableCommand {
    /// Runs `body`, turning input errors into one clear line on stderr and exit 65.
    func reportingInputErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("twin: error: \(error)\n".utf8))
            throw ExitCode(65)
        }
    }
}

/// Writes text to a new file, refusing to overwrite an existing one (users' files are never lost).
func writeNewFile(_ text: String, to path: String, overwrite: Bool = false) throws {
    if !overwrite && FileManager.default.fileExists(atPath: path) {
        throw InputError("\(path) already exists; choose another path or pass --force")
    }
    try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
}
