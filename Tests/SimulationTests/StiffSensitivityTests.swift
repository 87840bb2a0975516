import Foundation
import Testing
import ModelIR
@testable import Simulation

@Suite struct StiffSensitivityTests {
    /// RODAS4 and Rodas5P solve the sensitivity-augmented Robertson system with the block-triangular linear solve
    /// (one LU of the model block per step). Its sensitivities at t = 40 must equal central differences of
    /// plain runs of the same method: with runs accurate to `rtol` and relative step `delta`, the difference quotient is
    /// exact to about rtol/delta (solver error) + delta² (truncation), so we allow ten times that.
    @Test(arguments: [SolverMethod.rodas4, .rodas5p])
    func rodasSensitivitiesOfRobertsonMatchFiniteDifferences(method: SolverMethod) throws {
        let states = [("y1", 1.0, "-k1*y1 + k2*y2*y3"), ("y2", 0.0, "k1*y1 - k2*y2*y3 - k3*y2^2"), ("y3", 0.0, "k3*y2^2")]
        let parameters = ["k1": 0.04, "k2": 1e4, "k3": 3e7]
        let model = try odeModel(states: states, parameters: parameters)
        let inputs = ["k1", "k2", "k3"]
        let rtol = 1e-10, delta = 1e-3
        let options = SolverOptions(method: method, relativeTolerance: rtol, absoluteTolerance: 1e-16)
        let augmented = try CompiledModel(model, sensitivities: inputs)
        #expect(augmented.jacobianBlockSize == 3 && augmented.jacobianBlockCount == 3)
        let withSensitivities = try SimulationProblem(model: augmented, outputTimes: [0, 40]).solve(options)
        #expect(withSensitivities.status.isSuccess)
        let row = lastRow(withSensitivities)

        let plain = try CompiledModel(model)
        func finalState(_ id: String, scaledBy factor: Double) throws -> [Double] {
            var problem = SimulationProblem(model: plain, outputTimes: [0, 40])
            let k = plain.inputIndex(of: id)!
            problem.inputs[k] *= factor
            return lastRow(try problem.solve(options))
        }
        let nominal = lastRow(try SimulationProblem(model: plain, outputTimes: [0, 40]).solve(options))
        for (p, id) in inputs.enumerated() {
            let up = try finalState(id, scaledBy: 1 + delta), down = try finalState(id, scaledBy: 1 - delta)
            let k = parameters[id]!
            for i in 0..<3 {
                let fd = (up[i] - down[i]) / (2 * delta * k)
                let sensitivity = row[augmented.baseOutputCount + p * augmented.baseOutputCount + i]
                let scale = max(abs(fd), abs(nominal[i]) / k)
                #expect(abs(sensitivity - fd) <= 10 * (rtol / delta + delta * delta) * scale,
                        "d\(states[i].0)/d\(id): \(sensitivity) vs \(fd)")
            }
        }
    }
}

@Suite struct SparseSensitivitySolveTests {
    /// A stiff reversible chain of 14 species with a nonlinear coupling (its Jacobian is tridiagonal plus a
    /// feedback column, about 40 of 196 entries).
    func chainModel() throws -> ModelIR.Model {
        let n = 14
        var states: [(String, Double, String)] = []
        for i in 0..<n {
            var terms: [String] = []
            if i > 0 { terms += ["kf*x\(i - 1)", "-kb*x\(i)"] }
            if i < n - 1 { terms += ["-kf*x\(i)", "kb*x\(i + 1)"] }
            if i == 0 { terms += ["-kc*x0*x\(n - 1)"] }
            if i == n - 1 { terms += ["kc*x0*x\(n - 1)", "-kd*x\(i)"] }
            states.append(("x\(i)", i == 0 ? 1 : 0.01, terms.joined(separator: " + ")))
        }
        return try odeModel(states: states, parameters: ["kf": 50, "kb": 2e3, "kc": 0.3, "kd": 1])
    }

    /// RODAS4 on the sensitivity-augmented chain with the sparse LU of the model block equals the dense-LU
    /// path to rounding. Both runs take the same steps unless rounding flips an accept/reject decision, so
    /// states and sensitivities agree far inside the requested accuracy: we allow rtol (relative to each
    /// column's scale), which a change of method or step sequence would exceed for these stiff sensitivities.
    @Test func sparseAndDenseFactorsGiveTheSameSolution() throws {
        let augmented = try CompiledModel(chainModel(), sensitivities: ["kf", "kb", "kc", "kd"])
        #expect(augmented.modelBlockLU != nil)
        let rtol = 1e-8
        let options = SolverOptions(method: .rodas4, relativeTolerance: rtol, absoluteTolerance: 1e-12)
        let problem = SimulationProblem(model: augmented, outputTimes: [0, 0.01, 0.1, 1, 10, 50])
        let sparse = Integrator(model: augmented), dense = Integrator(model: augmented)
        dense.prefersSparseFactors = false
        let a = problem.solve(options, using: sparse), b = problem.solve(options, using: dense)
        #expect(a.status.isSuccess && b.status.isSuccess)
        #expect(a.statistics.acceptedSteps > 50)
        let width = a.names.count
        for c in 0..<width {
            let column = stride(from: c, to: b.values.count, by: width).map { b.values[$0] }
            let scale = max(column.map(abs).max()!, 1e-12)
            for (r, k) in stride(from: c, to: b.values.count, by: width).enumerated() {
                #expect(abs(a.values[k] - b.values[k]) <= rtol * scale, "\(a.names[c]) at row \(r): \(a.values[k]) vs \(b.values[k])")
            }
        }
    }
}
