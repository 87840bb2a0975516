import Foundation
import Testing
import ModelLibrary
@testable import Simulation

/// de Pillis 2005 starts with no CD8 cells (L = 0), where d/dL (L/T)^λ is infinite and d/dλ (L/T)^λ = (L/T)^λ ln(L/T)
/// is 0 · (−∞): the forward sensitivities must still start (a zero sensitivity takes no part in an infinite
/// derivative's product; the exponent derivative takes its limit 0) and agree with differences of the model.
@Suite struct DePillisSensitivityTests {
    @Test(arguments: [SolverMethod.rodas5p, .auto, .dopri5])
    func sensitivitiesStartWhereTheJacobianIsInfinite(method: SolverMethod) throws {
        let model = try ModelLibrary.model(named: "depillis2005")
        let inputs = ["a", "d", "lam", "s"]
        let augmented = try CompiledModel(model, sensitivities: inputs)
        let plain = try CompiledModel(model)
        let times = [0.0, 1, 10, 30]
        let rtol = 1e-10, atol = 1e-8
        let options = SolverOptions(method: method, relativeTolerance: rtol, absoluteTolerance: atol)
        let r = try SimulationProblem(model: augmented, outputTimes: times).solve(options)
        #expect(r.status == .success, "\(method): \(r.status)")
        guard r.status == .success else { return }
        let base = augmented.baseOutputCount
        for (p, input) in inputs.enumerated() {
            let k = try #require(plain.inputIndex(of: input))
            let relativeStep = 1e-5
            let value = plain.defaultInputs[k], step = relativeStep * abs(value)
            // central differences: truncation ~ relativeStep² and noise ~ rtol / relativeStep of the output's scale,
            // with a factor 100 for the error constants
            let bound = 100 * (relativeStep * relativeStep + rtol / relativeStep)
            func run(_ v: Double) throws -> SimulationResult {
                var problem = SimulationProblem(model: plain, outputTimes: times)
                problem.inputs[k] = v
                return try problem.solve(options)
            }
            let up = try run(value + step), down = try run(value - step)
            for row in 1..<times.count {
                for j in 0..<base {
                    let difference = (up[row, j] - down[row, j]) / (2 * step)
                    let sensitivity = r[row, base + p * base + j]
                    let scale = max(abs(difference), abs(up[row, j]) / abs(value))
                    #expect(abs(sensitivity - difference) <= bound * scale,
                            "\(method) d(\(r.names[j]))/d(\(input)) at t = \(times[row]): \(sensitivity) vs \(difference)")
                }
            }
        }
    }
}
