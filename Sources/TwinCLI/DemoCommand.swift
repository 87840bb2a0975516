import ArgumentParser
import Foundation
import ImmuneTwin

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Run the built-in example end to end and say where its output is.")

    @Option(help: "Output folder (created; an existing non-empty folder is refused).")
    var out: String = "twin-demo"
    @Option(help: "Virtual patients.")
    var patients: Int = 2000
    @Option(help: "Master seed.")
    var seed: UInt64 = 2026

    func run() throws {
        try reportingInputErrors { try Demo.run(out: out, patients: patients, seed: seed) }
    }
}
