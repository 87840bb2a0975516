import ArgumentParser
import Foundation
import ImmuneTwin

/// The `--external` contract of ../shared/bench/peers.py: simulate every row of the parameter CSV
/// (row 0 nominal, rows 1..N perturbed) and write timing (per pass over rows 1..N, averaged over the passes that
/// `--min-seconds` asks for), failures and the outputs of rows 0..k as JSON.
struct BenchExternalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "external", abstract: "Run one model for peers.py --external (same sets, same references).")

    @Option var sbml: String
    @Option var params: String
    @Option(name: .customLong("t-end")) var tEnd: Double
    @Option var points: Int = 101
    @Option var rtol: Double = 1e-6
    @Option var atol: Double = 1e-8
    @Option var out: String
    @Option var k: Int = 20
    @Option(help: "Worker threads (default 1: per-core figures).") var threads: Int = 1
    @Option(help: "Solver method.") var solver: String = "auto"
    @Option(help: "Repeat the timed pass over the N rows until at least this many seconds are timed; wall_s is the mean per pass (a single pass of a fast model lasts milliseconds, which thread start-up and timer noise dominate).")
    var minSeconds: Double = 1

    func run() throws {
        try reportingInputErrors {
            let clock = ContinuousClock()
            let loadStart = clock.now
            let model = try SBMLReader.read(contentsOf: URL(fileURLWithPath: sbml))
            let refPath = params.replacingOccurrences(of: ".params.csv", with: ".ref.csv")
            var ids = model.species.map(\.id)
            if let header = try? String(contentsOfFile: refPath, encoding: .utf8).split(whereSeparator: \.isNewline).first {
                ids = Array(header.split(separator: ",").map(String.init).dropFirst(2))
            }
            let speciesIds = Set(model.species.map(\.id))
            let requests = ids.map { speciesIds.contains($0) ? OutputRequest.concentration($0) : OutputRequest.value($0) }
            let compiled = try CompiledModel(model, outputs: requests)
            let loadSeconds = (clock.now - loadStart).seconds

            let rows = try String(contentsOfFile: params, encoding: .utf8).split(whereSeparator: \.isNewline)
            guard let header = rows.first else { throw InputError("\(params): empty parameter file") }
            let columns = try header.split(separator: ",").map { id -> Int in
                guard let k = compiled.inputIndex(of: String(id)) else { throw InputError("\(params): unknown parameter '\(id)'") }
                return k
            }
            let sets: [[Double]] = try rows.dropFirst().enumerated().map { r, line in
                try line.split(separator: ",").map {
                    guard let v = Double($0) else { throw InputError("\(params): line \(r + 2): '\($0)' is not a number") }
                    return v
                }
            }
            let template = SimulationProblem(model: compiled, outputTimes: SimulationProblem.grid(from: 0, to: tEnd, points: points))
            guard let method = SolverMethod(rawValue: solver) else { throw ValidationError("unknown solver \(solver)") }
            let options = SolverOptions(method: method, relativeTolerance: rtol, absoluteTolerance: atol)
            func configure(_ i: Int, _ p: inout SimulationProblem) {
                for (c, k) in columns.enumerated() { p.inputs[k] = sets[i][c] }
            }
            // timed: rows 1..N
            let n = sets.count - 1
            let start = clock.now
            var ok: [Bool] = [], passes = 0, timed = 0.0
            repeat {
                ok = Ensemble.run(template: template, count: n, threads: threads, options: options,
                                  configure: { i, p in configure(i + 1, &p) }, reduce: { _, r in r.status.isSuccess })
                passes += 1
                timed = (clock.now - start).seconds
            } while timed < minSeconds
            let wall = timed / Double(passes)
            // outputs of rows 0..k (not timed)
            let kept = Ensemble.run(template: template, count: min(k + 1, sets.count), threads: 1, options: options,
                                    configure: { i, p in configure(i, &p) }, reduce: { _, r -> Any in
                guard r.status.isSuccess else { return NSNull() }
                return (0..<r.times.count).map { row in (0..<r.names.count).map { r[row, $0] } }
            })
            let json: [String: Any] = ["n": n, "wall_s": wall, "failures": ok.filter { !$0 }.count, "load_s": loadSeconds,
                                       "median_ms": wall / Double(max(n, 1)) * 1e3, "passes": passes, "outputs": kept]
            let data = try JSONSerialization.data(withJSONObject: json)
            try data.write(to: URL(fileURLWithPath: out))
        }
    }
}
