import ArgumentParser
import Foundation
import ImmuneTwin

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the built-in example trials (SARS-CoV-2 antiviral timing, sepsis anti-inflammatory therapy) end to end.")

    @Option(help: "Output folder (created; an existing non-empty folder is refused).")
    var out: String = "twin-demo"
    @Option(help: "Virtual patients per example (default: the examples' own sample sizes).")
    var patients: Int?
    @Option(help: "Master seed (default: the examples' own).")
    var seed: UInt64?
    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    func run() throws {
        if let patients, patients < 1 { throw ValidationError("--patients must be at least 1") }
        try reportingInputErrors { try Demo.run(out: out, patients: patients, seed: seed, threads: threads) }
    }
}
