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
    @Flag(name: .long, help: "Exit 1 unless every 90 % coverage lies in [0.85, 0.95] and the interval width shrinks with more observations.")
    var check = false

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
            if check {
                let calibrated = report.levels.allSatisfy { (0.85...0.95).contains($0.coverage90) }
                let shrinking = zip(report.levels, report.levels.dropFirst()).allSatisfy { $1.meanWidth90 < $0.meanWidth90 }
                print("check: coverage in [0.85, 0.95]: \(calibrated ? "yes" : "NO"); widths shrink: \(shrinking ? "yes" : "NO")")
                if !(calibrated && shrinking) { throw ExitCode(1) }
            }
            if let json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try writeNewFile(String(decoding: try encoder.encode(report), as: UTF8.self), to: json)
            }
        }
    }
}

struct PatientBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time create + forecast (10 observations, 400 draws) for the built-in models (target < 2 s each).")

    @Option(name: .long, help: "Posterior draws per forecast.") var draws: Int = 400
    @Option(name: .long, help: "Worker threads for the forecast.") var threads: Int = 1

    func run() throws {
        try reportingInputErrors {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twin-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            print("model,observable,observations,draws,create_s,forecast_s,total_s,converged")
            for c in TwinBenchmark.cases {
                do {
                    let f = try TwinBenchmark.run(c, directory: dir, draws: draws, threads: threads, programVersion: Twin.version)
                    print("\(f.model),\(f.observable),\(f.observations),\(f.draws),\(String(format: "%.3f", f.createSeconds)),\(String(format: "%.3f", f.forecastSeconds)),\(String(format: "%.3f", f.totalSeconds)),\(f.converged)")
                } catch {
                    print("\(c.model),error: \(error)")
                }
            }
        }
    }
}
