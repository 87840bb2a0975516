import ArgumentParser
import Foundation
import ImmuneTwin

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate a model and print CSV (header `time,<ids>`).",
        discussion: """
            MODEL is an SBML file (.xml/.sbml), an Antimony file (.ant/.antimony) or a built-in model name \
            (see `twin models list`). Times are in the model's time unit.
            """)

    @Argument(help: "SBML file, Antimony file or built-in model name.")
    var model: String

    @Option(help: "End time (model time units).")
    var end: Double

    @Option(help: "Start time.")
    var start: Double = 0

    @Option(help: "Number of evenly spaced output points from start to end (inclusive).")
    var points: Int?

    @Option(help: "Comma-separated output times (instead of --points).")
    var times: String?

    @Option(name: .customLong("set"), help: "Override an input: id=value (repeatable).")
    var assignments: [String] = []

    @Option(help: "Comma-separated ids to output (default: species, then other state variables).")
    var outputs: String?

    @Option(help: "Relative tolerance.")
    var rtol: Double = 1e-6

    @Option(help: "Absolute tolerance (state units).")
    var atol: Double = 1e-8

    @Option(help: "Solver: \(SolverMethod.allCases.map(\.rawValue).joined(separator: "|")).")
    var solver: String = "auto"

    @Option(help: "Write the CSV to this file instead of standard output (never overwrites).")
    var output: String?

    @Flag(help: "Print solver statistics (steps, evaluations, events, status) to standard error.")
    var stats = false

    func validate() throws {
        guard end.isFinite, start.isFinite, end >= start else { throw ValidationError("--end must be a number not before --start") }
        if points != nil && times != nil { throw ValidationError("give either --points or --times, not both") }
        if let p = points, p < 1 { throw ValidationError("--points must be at least 1") }
        guard SolverMethod(rawValue: solver) != nil else {
            throw ValidationError("unknown solver '\(solver)'; choose one of \(SolverMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard rtol > 0, atol >= 0 else { throw ValidationError("--rtol must be positive and --atol non-negative") }
        for a in assignments where Self.parseAssignment(a) == nil {
            throw ValidationError("--set expects id=value with a numeric value, got '\(a)'")
        }
    }

    static func parseAssignment(_ text: String) -> (String, Double)? {
        let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty, let v = Double(parts[1]) else { return nil }
        return (parts[0], v)
    }

    func run() throws {
        try reportingInputErrors {
            let ir = try ModelSource.load(model)
            let requests = outputs.map { $0.split(separator: ",").map { OutputRequest.value(String($0).trimmingCharacters(in: .whitespaces)) } }
            let compiled = try CompiledModel(ir, outputs: requests)
            let outputTimes: [Double]
            if let times {
                outputTimes = try times.split(separator: ",").map {
                    guard let v = Double($0.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("--times: '\($0)' is not a number") }
                    return v
                }
            } else {
                outputTimes = SimulationProblem.grid(from: start, to: end, points: points ?? 101)
            }
            var problem = SimulationProblem(model: compiled, outputTimes: outputTimes, startTime: start)
            for a in assignments {
                let (id, v) = Self.parseAssignment(a)!
                do { try problem.set(id, to: v) } catch { throw ValidationError("--set: \(error)") }
            }
            let options = SolverOptions(method: SolverMethod(rawValue: solver)!, relativeTolerance: rtol, absoluteTolerance: atol)
            let result = try problem.solve(options)
            if stats {
                let s = result.statistics
                FileHandle.standardError.write(Data("""
                    status: \(result.status)
                    accepted steps: \(s.acceptedSteps), rejected: \(s.rejectedSteps), rhs evaluations: \(s.rhsEvaluations), \
                    jacobians: \(s.jacobianEvaluations), LU: \(s.factorizations), events: \(s.eventsExecuted), \
                    switched to stiff at: \(s.switchedToStiffAt.map { "\($0)" } ?? "never")

                    """.utf8))
            }
            let csv = result.csv()
            if let output { try writeNewFile(csv, to: output) } else { print(csv, terminator: "") }
            if !result.status.isSuccess {
                FileHandle.standardError.write(Data("twin: simulation failed: \(result.status)\n".utf8))
                throw ExitCode(65)
            }
        }
    }
}
