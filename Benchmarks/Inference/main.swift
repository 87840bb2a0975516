// Multi-start, profile and MCMC figures (release build):
//   IMMUNETWIN_BENCHMARKS=1 swift run -c release InferenceBenchmarks [STARTS] [OUT_DIR]
//   IMMUNETWIN_BENCHMARKS=1 swift run -c release InferenceBenchmarks petab PROBLEM.yaml STARTS SEED OUT_DIR [qn|ls]
// The first form runs analytic problems and prints one line per configuration; the second fits a PEtab problem
// (projected quasi-Newton, or least squares when the problem has residuals) and writes FitOutputs to OUT_DIR.
import Foundation
import Inference
import ModelFormats
import Simulation

/// The chained Rosenbrock function Σ 100(x_{i+1} − x_i²)² + (1 − x_i)² on [−2, 2]^d, written as ½‖r‖².
struct Rosenbrock: ObjectiveFunction {
    let dimension: Int
    var parameterNames: [String] { (0..<dimension).map { "x\($0)" } }
    var lowerBounds: [Double] { Array(repeating: -2, count: dimension) }
    var upperBounds: [Double] { Array(repeating: 2, count: dimension) }

    func value(at x: [Double], gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        var f = 0.0
        if let gradient { for i in 0..<dimension { gradient[i] = 0 } }
        for i in 0..<(dimension - 1) {
            let a = x[i + 1] - x[i] * x[i], b = 1 - x[i]
            f += 100 * a * a + b * b
            gradient?[i] += -400 * x[i] * a - 2 * b
            gradient?[i + 1] += 200 * a
        }
        return f
    }

    func residuals(at x: [Double], jacobian: UnsafeMutablePointer<[Double]>?) -> [Double]? {
        let s = 2.0.squareRoot()
        var r = [Double](repeating: 0, count: 2 * (dimension - 1))
        var j = [Double](repeating: 0, count: r.count * dimension)
        for i in 0..<(dimension - 1) {
            r[2 * i] = s * 10 * (x[i + 1] - x[i] * x[i])
            j[2 * i * dimension + i] = -s * 20 * x[i]
            j[2 * i * dimension + i + 1] = s * 10
            r[2 * i + 1] = s * (1 - x[i])
            j[(2 * i + 1) * dimension + i] = -s
        }
        jacobian?.pointee = j
        return r
    }
}

let arguments = CommandLine.arguments
if arguments.count >= 6 && arguments[1] == "petab" {
    let optimiser: any LocalOptimiser = arguments.count > 6 && arguments[6] == "ls" ? TrustRegionLeastSquares()
        : ProjectedQuasiNewton()
    let problem = try PEtabReader.read(contentsOf: URL(fileURLWithPath: arguments[2]))
    let objective = try PEtabObjective(problem, options: SolverOptions(method: .auto, relativeTolerance: 1e-8,
                                                                       absoluteTolerance: 1e-12, maxSteps: 100_000))
    let nominal = objective.value(at: objective.nominalPoint, gradient: nil)
    let fits = try MultiStart(starts: Int(arguments[3])!, seed: UInt64(arguments[4])!)
        .run(objective, optimiser: optimiser)
    let s = fits.statistics()
    let evaluations = fits.runs.reduce(0) { $0 + $1.result.evaluations + $1.result.residualEvaluations }
    print("\(problem.name): \(objective.parameterCount) parameters, nominal objective \(nominal), best \(s.bestValue), " +
          "best − nominal \(s.bestValue - nominal), converged \(s.converged)/\(s.starts), failed \(s.failed), " +
          "evaluations/start \(evaluations / max(s.starts, 1)), CPU s per converged start " +
          "\(String(format: "%.3g", s.secondsPerConvergedStart)), wall \(String(format: "%.1f", s.wallSeconds)) s, " +
          "exits \(s.exits)")
    try FitOutputs.write(fits, objective: objective,
                         scales: problem.parameters.filter(\.estimate).map(\.scale),
                         to: URL(fileURLWithPath: arguments[5]), title: "\(problem.name), \(s.starts) starts")
    exit(0)
}
let starts = arguments.count > 1 ? Int(arguments[1]) ?? 100 : 100
let out = arguments.count > 2 ? arguments[2] : "inference-benchmarks"
try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
let cores = ProcessInfo.processInfo.activeProcessorCount

for dimension in [2, 10] {
    let methods: [(String, any LocalOptimiser)] = [("trust-region-ls", TrustRegionLeastSquares()),
                                                   ("projected-bfgs", ProjectedQuasiNewton())]
    for (name, optimiser) in methods {
        for threads in Set([1, cores]).sorted() {
            let fits = try MultiStart(starts: starts, seed: 1, threads: threads).run(Rosenbrock(dimension: dimension),
                                                                                  optimiser: optimiser)
            let s = fits.statistics()
            let evaluations = fits.runs.reduce(0) { $0 + $1.result.evaluations + $1.result.residualEvaluations }
            print("rosenbrock\(dimension) \(name) threads=\(threads): best \(s.bestValue), converged " +
                  "\(s.converged)/\(s.starts), evaluations/start \(evaluations / max(starts, 1)), " +
                  "CPU s per converged start \(String(format: "%.2e", s.secondsPerConvergedStart)), " +
                  "wall \(String(format: "%.4f", s.wallSeconds)) s, exits \(s.exits)")
            if threads == 1 {
                try WaterfallPlot.svg(fits, title: "Rosenbrock \(dimension)-D, \(name), \(starts) starts")
                    .write(toFile: "\(out)/waterfall-rosenbrock\(dimension)-\(name).svg", atomically: true, encoding: .utf8)
                try ConvergenceReport(fits).json()
                    .write(to: URL(fileURLWithPath: "\(out)/convergence-rosenbrock\(dimension)-\(name).json"))
            }
        }
    }
}

let banana = Rosenbrock(dimension: 2)
var clock = ContinuousClock.now
let profiles = try ProfileLikelihood().profileAll(banana, optimum: [1, 1], optimiser: ProjectedQuasiNewton())
print("profiles rosenbrock2: \(ContinuousClock.now - clock), points \(profiles.map(\.points.count)), " +
      "intervals \(profiles.map { "\($0.confidenceInterval)" })")

clock = ContinuousClock.now
let run = try AdaptiveMetropolis(options: MCMCOptions(iterations: 100_000, burnIn: 20_000, seed: 1))
    .sample(banana, starts: [[0.9, 0.8], [1.1, 1.2], [0.5, 0.3], [1.3, 1.6]])
print("adaptive Metropolis rosenbrock2, 4 chains × 100000: \(ContinuousClock.now - clock), " +
      "bulk ESS \(run.diagnostics.map { Int($0.bulkEffectiveSampleSize) }), " +
      "R-hat \(run.diagnostics.map { String(format: "%.4f", $0.rankRHat) }), " +
      "acceptance \(run.chains.map { String(format: "%.3f", $0.acceptanceRate) })")
