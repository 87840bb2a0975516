import Foundation
import Testing
@testable import Simulation

/// A Jacobian entry that is infinite at a reachable state (de Pillis 2005: d/dL (L/T)^0.58 at L = 0, where the run
/// starts) must not stop the Rosenbrock methods: such columns are difference quotients (`replaceNonFiniteJacobianColumns`),
/// and batched lanes hand such runs to the scalar path, which gives the same results.
@Suite struct JacobianRepairTests {
    static let parameters = ["a": 0.514, "b": 1.02e-9, "c": 3.23e-7, "d": 1.43, "lam": 0.58, "s": 2.73, "sigma": 1.3e4,
                             "f": 0.0412, "g": 0.025, "h": 2.02e7, "p": 1e-7, "m": 0.02, "j": 0.0375, "k": 2.02e7,
                             "q": 3.42e-10, "r": 1.1e-7]
    static let kill = "(d*(L/T)^lam/(s + (L/T)^lam))"
    static let states: [(String, Double, String)] = [
        ("T", 100, "a*T*(1 - b*T) - c*N*T - \(kill)*T"),
        ("N", 1000, "sigma - f*N + g*T^2/(h + T^2)*N - p*N*T"),
        ("L", 0, "-m*L + j*(\(kill)*T)^2/(k + (\(kill)*T)^2)*L - q*L*T + r*N*T"),
    ]

    func model() throws -> CompiledModel { try CompiledModel(try odeModel(states: Self.states, parameters: Self.parameters)) }

    @Test func rosenbrockMethodsSolveARunWhoseJacobianIsInfiniteAtTheStart() throws {
        let model = try model()
        let integrator = Integrator(model: model)
        var probe = SimulationProblem(model: model, outputTimes: [0])
        _ = probe.solve(SolverOptions(), using: integrator)  // loads the constants
        var jacobian = [Double](repeating: 0, count: 9)
        integrator.evaluateJacobian(0, [100, 1000, 0], &jacobian)
        #expect(jacobian.contains { !$0.isFinite }, "the analytic d/dL is infinite at L = 0: \(jacobian)")

        let problem = SimulationProblem(model: model, outputTimes: [50])
        // reference: Dormand–Prince (no Jacobian) at tight tolerances
        let reference = lastRow(try problem.solve(SolverOptions(method: .dopri5, relativeTolerance: 1e-12,
                                                                absoluteTolerance: 1e-12, maxSteps: 1_000_000)))
        let rtol = 1e-6, atol = 1e-8
        for method in [SolverMethod.rodas5p, .rodas4] {
            let r = try problem.solve(SolverOptions(method: method, relativeTolerance: rtol, absoluteTolerance: atol))
            #expect(r.status == .success, "\(method): \(r.status)")
            let err = scaledError(lastRow(r), reference, rtol: rtol, atol: atol)
            #expect(err <= 10, "\(method): \(err) × tolerance; \(lastRow(r)) vs \(reference)")
        }
    }

    @Test(arguments: [SolverMethod.rodas5p, .auto])
    func batchedLanesGiveTheScalarResults(method: SolverMethod) throws {
        let model = try model()
        let template = SimulationProblem(model: model, outputTimes: SimulationProblem.grid(from: 0, to: 100, points: 21))
        let index = try #require(model.inputIndex(of: "lam"))
        // lam = 0.58 … 0.79: every run starts at L = 0 with an infinite d/dL; `auto` meets it where it switches
        let configure: (Int, inout SimulationProblem) throws -> Void = { i, p in p.inputs[index] = 0.58 + 0.01 * Double(i) }
        BatchedEnsembleTests().expectEnsembleMatchesScalarRuns(template, count: 22, options: SolverOptions(method: method),
                                                               configure: configure)
    }
}
