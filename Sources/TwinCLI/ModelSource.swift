import Foundation
import ImmuneTwin

/// Resolves the MODEL argument of the CLI: an SBML file (.xml, .sbml), an Antimony file (.ant, .antimony,
/// .txt) or the name of a built-in model.
enum ModelSource {
    static func load(_ argument: String) throws -> Model {
        let url = URL(fileURLWithPath: argument)
        switch url.pathExtension.lowercased() {
        case "xml", "sbml":
            guard FileManager.default.fileExists(atPath: argument) else { throw InputError("no such file: \(argument)") }
            return try SBMLReader.read(contentsOf: url)
        case "ant", "antimony", "txt":
            guard FileManager.default.fileExists(atPath: argument) else { throw InputError("no such file: \(argument)") }
            return try AntimonyReader.read(contentsOf: url)
        default:
            return try ModelLibrary.model(named: argument)
        }
    }
}
