import Foundation
import Testing
import ModelIR
@testable import Simulation

@Suite struct ConvergenceTests {
    /// y' = cos(t) y, y(0) = 1 → y = exp(sin t) (non-autonomous: exercises the Rosenbrock methods' df/dt terms);
    /// x' = -z, z' = x → rotation.
    static let problem = (states: [("y", 1.0, "cos(time)*y"), ("x", 1.0, "-z"), ("z", 0.0, "x")], end: 2.0)
    static func exact(_ t: Double) -> [Double] { [exp(sin(t)), cos(t), sin(t)] }

    @Test(arguments: [(SolverMethod.dopri5, 5.0, [0.25, 0.125, 0.0625, 0.03125]),
                      (SolverMethod.rodas4, 4.0, [0.03125, 0.015625, 0.0078125, 0.00390625]),
                      (SolverMethod.rodas5p, 5.0, [0.125, 0.0625, 0.03125, 0.015625])])
    func fixedStepErrorShrinksAtTheMethodsOrder(method: SolverMethod, order: Double, steps: [Double]) throws {
        let model = try CompiledModel(odeModel(states: Self.problem.states))
        let problem = SimulationProblem(model: model, outputTimes: [Self.problem.end])
        var errors: [Double] = []
        for dt in steps {
            let r = try problem.solve(SolverOptions(method: method, fixedStepSize: dt))
            #expect(r.status == .success)
            errors.append(zip(lastRow(r), Self.exact(Self.problem.end)).map { abs($0 - $1) }.max()!)
        }
        let slope = convergenceSlope(steps: steps, errors: errors)
        #expect(abs(slope - order) < 0.3, "observed order \(slope), errors \(errors)")
    }

    @Test(arguments: [SolverMethod.dopri5, .rodas4, .rodas5p])
    func denseOutputIsAccurateBetweenSteps(method: SolverMethod) throws {
        let model = try CompiledModel(odeModel(states: Self.problem.states))
        let times = SimulationProblem.grid(from: 0, to: 2, points: 201)
        let r = try SimulationProblem(model: model, outputTimes: times).solve(SolverOptions(method: method, relativeTolerance: 1e-8, absoluteTolerance: 1e-10))
        for (row, t) in times.enumerated() {
            let got = (0..<3).map { r[row, $0] }
            // The global error of an adaptive run is a small multiple of the local tolerance; 100x covers
            // error accumulation over the run and the interpolant's lower order.
            #expect(scaledError(got, Self.exact(t), rtol: 1e-6, atol: 1e-8) <= 1, "t = \(t): \(got)")
        }
    }

    @Test(arguments: [1e-4, 1e-6, 1e-8, 1e-10])
    func adaptiveErrorTracksTheTolerance(tolerance: Double) throws {
        let model = try CompiledModel(odeModel(states: Self.problem.states))
        for method in [SolverMethod.dopri5, .rodas4, .rodas5p] {
            let r = try SimulationProblem(model: model, outputTimes: [Self.problem.end])
                .solve(SolverOptions(method: method, relativeTolerance: tolerance, absoluteTolerance: tolerance))
            let err = scaledError(lastRow(r), Self.exact(Self.problem.end), rtol: tolerance, atol: tolerance)
            #expect(err <= 10, "\(method) at tolerance \(tolerance): error is \(err) times the tolerance")
        }
    }
}

@Suite struct StiffReferenceTests {
    static let cases = [("Robertson", StiffProblems.robertson.states, StiffProblems.robertson.end, StiffProblems.robertson.reference),
                        ("Van der Pol mu=1e3", StiffProblems.vanDerPol.states, StiffProblems.vanDerPol.end, StiffProblems.vanDerPol.reference),
                        ("HIRES", StiffProblems.hires.states, StiffProblems.hires.end, StiffProblems.hires.reference),
                        ("OREGO", StiffProblems.orego.states, StiffProblems.orego.end, StiffProblems.orego.reference)]

    @Test(arguments: [SolverMethod.rodas4, .rodas5p, .auto])
    func matchesReferenceWithinTenTimesTheTolerance(method: SolverMethod) throws {
        for (name, states, end, reference) in Self.cases {
            let model = try CompiledModel(odeModel(states: states))
            let rtol = 1e-6, atol = 1e-10
            let r = try SimulationProblem(model: model, outputTimes: [end])
                .solve(SolverOptions(method: method, relativeTolerance: rtol, absoluteTolerance: atol, maxSteps: 500_000))
            #expect(r.status == .success, "\(name): \(r.status)")
            let err = scaledError(lastRow(r), reference, rtol: rtol, atol: atol)
            #expect(err <= 10, "\(name) with \(method): \(err) × tolerance; got \(lastRow(r))")
        }
    }

    @Test func autoSwitchesToTheStiffMethodOnRobertson() throws {
        let model = try CompiledModel(odeModel(states: StiffProblems.robertson.states))
        let r = try SimulationProblem(model: model, outputTimes: [40]).solve()
        #expect(r.statistics.switchedToStiffAt != nil)
        #expect(r.statistics.acceptedSteps < 2_000, "\(r.statistics)")
    }
}
