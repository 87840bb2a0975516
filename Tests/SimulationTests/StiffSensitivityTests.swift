import Foundation
import Testing
import ModelIR
@testable import Simulation

@Suite struct StiffSensitivityTests {
    /// RODAS4 solves the sensitivity-augmented Robertson system with the block-triangular linear solve
    /// (one LU of the model block per step). Its sensitivities at t = 40 must equal central differences of
    /// plain RODAS4 runs: with runs accurate to `rtol` and relative step `delta`, the difference quotient is
    /// exact to about rtol/delta (solver error) + delta² (truncation), so we allow ten times that.
    @Test func rodasSensitivitiesOfRobertsonMatchFiniteDifferences() throws {
        let states = [("y1", 1.0, "-k1*y1 + k2*y2*y3"), ("y2", 0.0, "k1*y1 - k2*y2*y3 - k3*y2^2"), ("y3", 0.0, "k3*y2^2")]
        let parameters = ["k1": 0.04, "k2": 1e4, "k3": 3e7]
        let model = try odeModel(states: states, parameters: parameters)
        let inputs = ["k1", "k2", "k3"]
        let rtol = 1e-10, delta = 1e-3
        let options = SolverOptions(method: .rodas4, relativeTolerance: rtol, absoluteTolerance: 1e-16)
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
