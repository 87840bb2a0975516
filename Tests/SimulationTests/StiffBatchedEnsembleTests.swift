import Foundation
import ModelIR
import Testing
@testable import Simulation

/// Lanes that `auto` switches to Rodas5P continue in the batch's Rosenbrock lanes (or, for models with
/// sensitivity blocks, on the scalar path from the switch), and with `rodas5p` every lane is a Rosenbrock lane
/// from its start; either way every value, status and statistic must be bit for bit what the scalar path gives
/// for the same simulation.
@Suite struct StiffBatchedEnsembleTests {
    /// Robertson's kinetics (stiff for large k2) with a forced, time-dependent inflow and a state with a
    /// finite-time pole (z' = c z², blow-up at t = 1/(c z0)).
    func model() throws -> CompiledModel {
        try CompiledModel(try odeModel(states: [
            ("y1", 1, "-k1*y1 + k3*y2*y3 + 0.01*(1 + sin(time))"), ("y2", 0, "k1*y1 - k3*y2*y3 - k2*y2^2"),
            ("y3", 0, "k2*y2^2"), ("z", 0.1, "c*z^2")],
            parameters: ["k1": 0.04, "k2": 3e7, "k3": 1e4, "c": 0.01]))
    }

    func configure(_ model: CompiledModel) throws -> (Int, inout SimulationProblem) throws -> Void {
        let k1 = try #require(model.inputIndex(of: "k1")), k2 = try #require(model.inputIndex(of: "k2"))
        let c = try #require(model.inputIndex(of: "c"))
        struct Refused: Error {}
        return { i, p in
            p.inputs[k1] = 0.04 * (1 + 0.03 * Double(i % 17))
            p.inputs[k2] = i % 6 == 1 ? 1e-3 : 3e7 * (1 + 0.02 * Double(i % 5))   // k2 = 1e-3: not stiff within the horizon, stays explicit
            if i % 7 == 3 { p.inputs[c] = 0.6 }                                // pole at t ≈ 16.7
            if i % 5 == 2 { p.doses = [Dose(target: "y1", time: 4, amount: 0.5), Dose(target: "k3", time: 12, amount: 2e4, kind: .set)] }
            if i % 11 == 4 { p.doses = [Dose(target: "y2", time: 1, amount: 1e-6, kind: .infusion(duration: 2))] }  // scalar path
            if i == 9 { throw Refused() }
        }
    }

    /// The scalar reference and the bit-for-bit comparison of `BatchedEnsembleTests`.
    let shared = BatchedEnsembleTests()

    @Test func rosenbrockLanesMatchTheScalarPathBitForBit() throws {
        let model = try model()
        let template = SimulationProblem(model: model, outputTimes: SimulationProblem.grid(from: 0, to: 30, points: 31))
        let configure = try configure(model)
        for options in [SolverOptions(), SolverOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10),
                        SolverOptions(maxSteps: 60)] {
            let count = 75  // more than two sets of 16 lanes per worker: lanes wait for Rosenbrock slots and are refilled
            let expected = shared.scalarResults(template, count: count, options: options, configure: configure)
            #expect(expected.contains { $0?.statistics.switchedToStiffAt != nil })
            #expect(expected.contains { $0.map { $0.status.isSuccess && $0.statistics.switchedToStiffAt == nil } ?? false })
            #expect(expected.contains { $0.map { !$0.status.isSuccess && $0.statistics.switchedToStiffAt != nil } ?? false })
            for threads in [1, 2] {
                let results = Ensemble.run(template: template, count: count, threads: threads, options: options,
                                           configure: configure, reduce: { _, r in r })
                for i in 0..<count { shared.expectIdentical(results[i], expected[i], i) }
            }
        }
    }

    /// With `rodas5p` the lanes start in the Rosenbrock slots (75 simulations: the explicit slots hold the lanes
    /// waiting for one); statuses include the pole, step-limit failures and the scalar path's infusions.
    @Test func rodas5pLanesFromTheStartMatchTheScalarPathBitForBit() throws {
        let model = try model()
        let template = SimulationProblem(model: model, outputTimes: SimulationProblem.grid(from: 0, to: 30, points: 31))
        let configure = try configure(model)
        for options in [SolverOptions(method: .rodas5p), SolverOptions(method: .rodas5p, relativeTolerance: 1e-8, absoluteTolerance: 1e-10),
                        SolverOptions(method: .rodas5p, maxSteps: 40)] {
            let count = 75
            let expected = shared.scalarResults(template, count: count, options: options, configure: configure)
            // successes where steps suffice, and failures (the pole; the step limit) in every set
            #expect(expected.contains { $0.map { $0.status.isSuccess } ?? false } == (options.maxSteps > 40))
            #expect(expected.contains { $0.map { !$0.status.isSuccess } ?? false })
            for threads in [1, 2] {
                let results = Ensemble.run(template: template, count: count, threads: threads, options: options,
                                           configure: configure, reduce: { _, r in r })
                for i in 0..<count { shared.expectIdentical(results[i], expected[i], i) }
            }
        }
        let sensitivityModel = try CompiledModel(try odeModel(states: [("y", 1, "-k*y")], parameters: ["k": 1]), sensitivities: ["k"])
        #expect(!BatchIntegrator.covers(sensitivityModel, SolverOptions(method: .rodas5p)))
    }

    /// Rodas5P (and RODAS4 on the scalar path) factor I/(hγ) − J with the sparse LU where its pivots pass the threshold test and with the
    /// dense LU with partial pivoting where they do not, on both paths. Here v' = K u − v puts K below the
    /// first pivot u (after the decoupled stiff w): with K = 1e6 the test fails at every step size RODAS4 takes,
    /// with K = 1 it passes, and lanes of both kinds share chunks of four.
    @Test func lanesWhoseSparsePivotsFailUseTheDenseLUAsTheScalarPathDoes() throws {
        let model = try CompiledModel(try odeModel(states: [
            ("u", 1, "-u"), ("v", 0, "K*u - v"), ("w", 0, "-1e4*(w - cos(time))")], parameters: ["K": 1]))
        let pattern = try #require(model.modelBlockLU)
        for (k, passes) in [(1.0, true), (1e6, false)] {
            let sparse = SparseLU(pattern)
            let jacobian: [Double] = [-1, 0, 0, k, -1, 0, 0, 0, -1e4]
            #expect(sparse.factor(denseJacobian: jacobian, diagonalShift: 40) == passes, "K = \(k)")
        }
        let kIndex = try #require(model.inputIndex(of: "K"))
        let configure: (Int, inout SimulationProblem) throws -> Void = { i, p in
            p.inputs[kIndex] = i % 3 == 0 ? 1e6 * (1 + 0.01 * Double(i)) : 1 + 0.01 * Double(i)
        }
        let template = SimulationProblem(model: model, outputTimes: SimulationProblem.grid(from: 0, to: 20, points: 41))
        let count = 40
        for options in [SolverOptions(), SolverOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10)] {
            let expected = shared.scalarResults(template, count: count, options: options, configure: configure)
            #expect(expected.allSatisfy { $0.map { $0.status.isSuccess && $0.statistics.switchedToStiffAt != nil } ?? false })
            for threads in [1, 2] {
                let results = Ensemble.run(template: template, count: count, threads: threads, options: options,
                                           configure: configure, reduce: { _, r in r })
                for i in 0..<count { shared.expectIdentical(results[i], expected[i], i) }
            }
        }
    }

    @Test func switchingLanesContinueOnTheScalarPathWithoutRosenbrockLanes() throws {
        let model = try model()
        let template = SimulationProblem(model: model, outputTimes: SimulationProblem.grid(from: 0, to: 30, points: 31))
        let configure = try configure(model)
        let options = SolverOptions()
        let count = 40
        let expected = shared.scalarResults(template, count: count, options: options, configure: configure)
        var results = [SimulationResult?](repeating: nil, count: count)
        let batch = BatchIntegrator(model: model, lanes: 8, stiffLanes: false)
        batch.run(0..<count, options: options, problem: { i in
            var p = template
            try configure(i, &p)
            return p
        }, failure: { _ in SimulationResult(times: [], names: [], values: [], status: .success, statistics: .init()) },
           deliver: { i, r in results[i] = r })
        for i in 0..<count { shared.expectIdentical(try #require(results[i]), expected[i], i) }
    }
}
