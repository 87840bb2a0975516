import ArgumentParser
import Foundation
import ImmuneTwin
import Twins

struct PatientValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate twins on synthetic patients (Baccam 2006): forecast calibration, interval shrinkage, treatment choice.")

    @Option(name: .long, help: "Synthetic patients.") var patients: Int = 200
    @Option(name: .long, help: "Posterior draws per forecast.") var draws: Int = 200
    @Option(name: .long, help: "Seed.") var seed: UInt64 = 2026
    @Option(name: .long, help: "Worker threads.") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(name: .long, help: "Write the report as JSON to this new file.") var json: String?

    func run() throws {
        try reportingInputErrors {
            guard patients > 0, draws > 1 else { throw ValidationError("--patients must be positive and --draws at least 2") }
            let clock = ContinuousClock(), start = clock.now
            let report = try TwinValidation.baccamDefault(draws: draws).run(patients: patients, seed: seed, threads: threads)
            let elapsed = clock.now - start
            print("synthetic patients: \(report.patients) (failed fits: \(report.failedFits)), seed \(seed), \(elapsed)")
            print("observations,coverage90,coverage50,mean_width90,pairs")
            for l in report.levels {
                print("\(l.observations),\(String(format: "%.3f", l.coverage90)),\(String(format: "%.3f", l.coverage50)),\(String(format: "%.3f", l.meanWidth90)),\(l.pairs)")
            }
            if let rate = report.bestTreatmentMatchRate { print("best treatment matches the truth: \(String(format: "%.3f", rate))") }
            if let json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try writeNewFile(String(decoding: try encoder.encode(report), as: UTF8.self), to: json)
            }
        }
    }
}
