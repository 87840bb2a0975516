import ArgumentParser
import Foundation
import ImmuneTwin

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models", abstract: "The built-in immune model library.",
        subcommands: [List.self, Show.self, Export.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the built-in models.")
        func run() throws {
            try reportingInputErrors {
                for name in ModelLibrary.names {
                    let entry = try ModelLibrary.entry(named: name)
                    print("\(name)\t\(entry.title)")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Describe a model: equations' meaning, parameters, inputs, checks.")
        @Argument var name: String
        func run() throws {
            try reportingInputErrors { print(try ModelLibrary.entry(named: name).describe()) }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a model as SBML (L3v2) or Antimony.")
        @Argument var name: String
        @Option(help: "sbml or antimony") var format: String = "sbml"
        @Option(help: "Write to this file instead of standard output (never overwrites).") var output: String?
        func validate() throws {
            guard ["sbml", "antimony"].contains(format) else { throw ValidationError("--format must be sbml or antimony, got '\(format)'") }
        }
        func run() throws {
            try reportingInputErrors {
                let model = try ModelLibrary.model(named: name)
                let text = format == "sbml" ? SBMLWriter.write(model) : AntimonyWriter.write(model)
                if let output { try writeNewFile(text, to: output) } else { print(text) }
            }
        }
    }
}
