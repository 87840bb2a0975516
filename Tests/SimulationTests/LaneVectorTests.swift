import Foundation
import ModelIR
import Testing
@testable import Simulation

/// The vectorised batch paths (four lanes per `SIMD4<Double>` operation) must give every lane exactly what
/// the scalar operations give, including signed zeros, NaN operands and lane counts that are not a multiple of 4.
@Suite struct LaneVectorTests {
    /// A right-hand side using every kind of operation `runBatchVectors` vectorises (arithmetic, fused forms,
    /// square, cube, sqrt, negation, comparisons, piecewise) and some it leaves to the per-lane library calls.
    func model() throws -> CompiledModel {
        try CompiledModel(try odeModel(states: [
            ("x", 1, "-a*x + b*y*z - x^2 + piecewise(y, x > y, -z)"),
            ("y", 0, "sqrt(abs(x)) - y^3 + piecewise(1, x <= z, 0) - piecewise(2, y >= 2*z, 0) + piecewise(exp(-x), x < y, 0) - z / (1 + x^2)"),
            ("z", 0, "max(x, y) - min(y, z) + a*b - c*z + x*y - z^0.5"),
        ], parameters: ["a": 0.5, "b": 2, "c": 3]))
    }

    @Test(arguments: [4, 8, 16, 5])
    func batchedProgramMatchesTheScalarProgramBitForBit(lanes: Int) throws {
        let model = try model()
        let program = model.rhs, count = model.layout.registerCount, n = model.stateCount
        let specials: [Double] = [0, -0.0, 1, -1, .nan, .infinity, -2.5, 1e-300, 3, 0.25]
        var batch = [Double](repeating: 0, count: count * lanes)
        var scalar = [[Double]](repeating: model.layout.template, count: lanes)
        for l in 0..<lanes {
            scalar[l][0] = Double(l) * 0.1
            for i in 0..<n { scalar[l][1 + i] = specials[(l * 3 + i * 7) % specials.count] * (1 + Double(i)) }
            for k in 0..<model.layout.parameterCount { scalar[l][1 + n + k] = 0.5 + 0.7 * Double(k) + 0.01 * Double(l) }
            model.invariants.run(&scalar[l])
            for r in 0..<count { batch[r * lanes + l] = scalar[l][r] }
        }
        batch.withUnsafeMutableBufferPointer { program.runBatch($0.baseAddress!, lanes: lanes) }
        for l in 0..<lanes {
            scalar[l].withUnsafeMutableBufferPointer { program.run($0.baseAddress!) }
            for r in 0..<count {
                #expect(batch[r * lanes + l].bitPattern == scalar[l][r].bitPattern, "lane \(l), register \(r)")
            }
        }
    }

    @Test func lanesThatAreNotAMultipleOfFourMatchTheScalarPath() throws {
        // six simulations of a stiff model on one worker: six lanes, padded to eight inside the batch
        let shared = BatchedEnsembleTests(), stiff = StiffBatchedEnsembleTests()
        let model = try stiff.model()
        let template = SimulationProblem(model: model, outputTimes: SimulationProblem.grid(from: 0, to: 30, points: 31))
        let configure = try stiff.configure(model)
        let options = SolverOptions()
        let count = 6
        let expected = shared.scalarResults(template, count: count, options: options, configure: configure)
        #expect(expected.contains { $0?.statistics.switchedToStiffAt != nil })
        let results = Ensemble.run(template: template, count: count, threads: 1, options: options,
                                   configure: configure, reduce: { _, r in r })
        for i in 0..<count { shared.expectIdentical(results[i], expected[i], i) }
    }
}
