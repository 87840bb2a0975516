import ArgumentParser
import Foundation
import ImmuneTwin

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark cohort simulation throughput and accuracy (build with -c release).",
        discussion: """
            Without a subcommand: for each benchmark model, N log-normally perturbed parameter sets \
            (sigma 0.1, seeded) are simulated single-threaded and on all cores (whole passes over the N sets, \
            repeated until at least --min-seconds are timed); reported are simulations per second, median time per \
            simulation, failures, and the max relative error against a tight run \
            (rtol 1e-12, atol 1e-14) on 20 sets, with the error metric of ../shared/bench/peers.py.
            `twin bench external` implements the peers.py --external contract, so the same parameter sets \
            and libRoadRunner references are used in one run.
            """,
        subcommands: [BenchSuiteCommand.self, BenchExternalCommand.self],
        defaultSubcommand: BenchSuiteCommand.self)
}

/// One benchmark model: where its SBML lives and how peers.py runs it.
struct BenchmarkCase {
    var name: String
    var model: Model
    var end: Double
    var fixed: Set<String>

    /// The five benchmark models, read from the shared folder.
    /// - Throws: `InputError` naming the folder when it lacks `data/petab` or `bench/reynolds.ant`.
    static func standard(shared: String) throws -> [BenchmarkCase] {
        let petab = shared + "/data/petab"
        for needed in [petab, shared + "/bench/reynolds.ant"] where !FileManager.default.fileExists(atPath: needed) {
            throw InputError("\(needed) not found: --shared must name the shared folder (with data/petab and bench/), "
                + "default ../shared relative to the current directory")
        }
        func petabModel(_ dir: String, set: [String: Double] = [:]) throws -> Model {
            var m = try SBMLReader.read(contentsOf: URL(fileURLWithPath: "\(petab)/\(dir)/model_\(dir).xml"))
            let table = try String(contentsOfFile: "\(petab)/\(dir)/parameters_\(dir).tsv", encoding: .utf8)
            var values = set
            let rows = table.split(whereSeparator: \.isNewline).map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
            if let header = rows.first, let id = header.firstIndex(of: "parameterId"), let nominal = header.firstIndex(of: "nominalValue") {
                for row in rows.dropFirst() where row.count > max(id, nominal) {
                    if values[row[id]] == nil, let v = Double(row[nominal]) { values[row[id]] = v }
                }
            }
            for i in m.parameters.indices { if let v = values[m.parameters[i].id] { m.parameters[i].value = v } }
            return m
        }
        return [
            BenchmarkCase(name: "perelson", model: try petabModel("Perelson_Science1996"), end: 10, fixed: []),
            BenchmarkCase(name: "crauste", model: try petabModel("Crauste_CellSystems2017"), end: 25, fixed: []),
            BenchmarkCase(name: "boehm", model: try petabModel("Boehm_JProteomeRes2014"), end: 240, fixed: []),
            BenchmarkCase(name: "fujita", model: try petabModel("Fujita_SciSignal2010", set: ["EGF_0": 1, "EGF_rate": 0, "EGF_end": 7200]),
                          end: 3600, fixed: ["EGF_0", "EGF_rate", "EGF_end"]),
            BenchmarkCase(name: "reynolds", model: try AntimonyReader.read(contentsOf: URL(fileURLWithPath: shared + "/bench/reynolds.ant")),
                          end: 200, fixed: []),
        ]
    }
}

struct BenchSuiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "suite", abstract: "Run the built-in benchmark suite.")

    @Option(name: .customLong("json"), help: "Write the figures as JSON to this file.")
    var jsonPath: String?
    @Option(name: .short, help: "Perturbed parameter sets per model.")
    var n: Int = 2000
    @Option(help: "Folder holding data/petab and bench/ (the shared folder).")
    var shared: String = "../shared"
    @Option(help: "Comma-separated subset of models (perelson,crauste,boehm,fujita,reynolds).")
    var models: String?
    @Option(help: "Relative tolerance.")
    var rtol: Double = 1e-6
    @Option(help: "Absolute tolerance.")
    var atol: Double = 1e-8
    @Option(help: "Solver method (auto|dopri5|rodas4|rodas5p).")
    var solver: String = "auto"
    @Option(help: "Time whole passes over the N sets until at least this many seconds have passed (0: one pass, e.g. for instruction counts).")
    var minSeconds: Double = 1

    @Flag(help: "Also print the mean solver work per simulation (steps, evaluations, factorizations).")
    var stats = false

    func run() throws {
        try reportingInputErrors {
            guard let method = SolverMethod(rawValue: solver) else {
                throw ValidationError("unknown solver '\(solver)'; choose one of \(SolverMethod.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var cases = try BenchmarkCase.standard(shared: shared)
            if let models {
                let keep = Set(models.split(separator: ",").map(String.init))
                cases = cases.filter { keep.contains($0.name) }
            }
            var report: [[String: Any]] = []
            print("| model | states | sims/s 1 thread | sims/s \(ProcessInfo.processInfo.activeProcessorCount) threads | median ms/sim | failures | max rel err (20 sets) | load+compile ms |")
            print("|---|---:|---:|---:|---:|---:|---:|---:|")
            for c in cases {
                let figures = try Benchmark.run(c, n: n, rtol: rtol, atol: atol, method: method, minimumSeconds: minSeconds)
                report.append(figures.json)
                print(figures.row)
                if stats {
                    print("  work per sim: " + Self.describe(figures.work))
                    if !figures.failedWork.isEmpty { print("  work per failed sim: " + Self.describe(figures.failedWork)) }
                }
            }
            if let jsonPath {
                let data = try JSONSerialization.data(withJSONObject: ["version": Twin.version, "results": report], options: [.prettyPrinted, .sortedKeys])
                try writeNewFile(String(decoding: data, as: UTF8.self), to: jsonPath)
            }
        }
    }

    private static func describe(_ work: [String: Double]) -> String {
        work.sorted { $0.key < $1.key }.map { String(format: "%@ %.1f", $0.key, $0.value) }.joined(separator: ", ")
    }
}
