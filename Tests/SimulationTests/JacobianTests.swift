import Foundation
import Testing
import ModelIR
@testable import Simulation

@Suite struct JacobianTests {
    /// The analytic Jacobian equals central finite differences of the compiled right-hand side.
    @Test(arguments: [StiffProblems.robertson.states, StiffProblems.hires.states, StiffProblems.orego.states,
                      [("a", 0.7, "k1*a*b/(Km + a) - exp(-b)*sin(a)"), ("b", 1.3, "piecewise(a^2, a > 0.5, -b) + max(a, b)*log10(b)")]])
    func analyticJacobianMatchesFiniteDifferences(states: [(String, Double, String)]) throws {
        let model = try CompiledModel(odeModel(states: states, parameters: ["k1": 2, "Km": 0.4]))
        let integrator = Integrator(model: model)
        let n = model.stateCount
        var problem = SimulationProblem(model: model, outputTimes: [0])
        _ = problem.solve(SolverOptions(), using: integrator)  // loads constants
        var y = states.map { $0.1 + 0.37 }
        var jac = [Double](repeating: 0, count: n * n)
        integrator.evaluateJacobian(0.3, y, &jac)
        var up = [Double](repeating: 0, count: n), down = up
        for j in 0..<n {
            let h = 1e-6 * max(1, abs(y[j]))
            let saved = y[j]
            y[j] = saved + h
            integrator.evaluateRHS(0.3, y, &up)
            y[j] = saved - h
            integrator.evaluateRHS(0.3, y, &down)
            y[j] = saved
            for i in 0..<n {
                let fd = (up[i] - down[i]) / (2 * h)
                // central differences: truncation O(h²·f''') plus rounding O(ε·|f|/h) ≈ 1e-10·|f|
                let scale = max(1, abs(fd), abs(up[i]) * 1e-4)
                #expect(abs(jac[i * n + j] - fd) <= 1e-6 * scale, "J[\(i),\(j)] = \(jac[i * n + j]), fd \(fd)")
            }
        }
        problem.outputTimes = []
    }
}
