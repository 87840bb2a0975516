import Foundation
import ModelIR
import Testing
@testable import Simulation

/// The batched lock-step path of `Ensemble` must give, bit for bit, what the scalar path gives for every
/// simulation: same values, same status, same solver statistics, whatever the lane a simulation lands in.
@Suite struct BatchedEnsembleTests {
    /// Every simulation of the ensemble solved alone on the scalar path.
    func scalarResults(_ template: SimulationProblem, count: Int, options: SolverOptions,
                       configure: (Int, inout SimulationProblem) throws -> Void) -> [SimulationResult?] {
        (0..<count).map { i in
            var p = template
            guard (try? configure(i, &p)) != nil else { return nil }
            return try? p.solve(options)
        }
    }

    /// Runs `count` simulations as an ensemble on one thread and expects each, bit for bit, to be its scalar run,
    /// every one of which succeeds.
    func expectEnsembleMatchesScalarRuns(_ template: SimulationProblem, count: Int, options: SolverOptions,
                                         configure: (Int, inout SimulationProblem) throws -> Void) {
        let expected = scalarResults(template, count: count, options: options, configure: configure)
        #expect(expected.allSatisfy { $0?.status == .success })
        let results = Ensemble.run(template: template, count: count, threads: 1, options: options,
                                   configure: configure, reduce: { _, r in r })
        for i in 0..<count { expectIdentical(results[i], expected[i], i) }
    }

    func expectIdentical(_ a: SimulationResult, _ b: SimulationResult?, _ i: Int) {
        guard let b else {
            #expect(a.values.isEmpty, "simulation \(i): expected the configure failure")
            return
        }
        #expect(a.status == b.status, "simulation \(i)")
        #expect(a.statistics == b.statistics, "simulation \(i)")
        #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern), "simulation \(i)")
    }

    @Test func nonStiffLanesMatchTheScalarPathBitForBit() throws {
        // Lotka–Volterra with a finite-time pole in one direction (z' = c z^2 blows up at t = 1/(c z0)).
        let model = try CompiledModel(try odeModel(states: [("x", 1, "a*x - b*x*y"), ("y", 0.5, "b*x*y - y"),
                                                            ("z", 0.1, "c*z^2")],
                                                   parameters: ["a": 1.5, "b": 1, "c": 0.01]))
        let template = SimulationProblem(model: model, outputTimes: SimulationProblem.grid(from: 0, to: 20, points: 41))
        let a = try #require(model.inputIndex(of: "a")), c = try #require(model.inputIndex(of: "c"))
        struct Refused: Error {}
        let configure: (Int, inout SimulationProblem) throws -> Void = { i, p in
            p.inputs[a] = 1 + 0.05 * Double(i)
            if i % 7 == 3 { p.inputs[c] = 0.6 }            // pole at t ≈ 16.7: blow-up or non-finite status
            if i % 11 == 5 { p.doses = [Dose(target: "x", time: 2.5, amount: 0.3)] }
            if i % 5 == 2 { p.doses = [Dose(target: "a", time: 0, amount: 2, kind: .set), Dose(target: "a", time: 4, amount: 1, kind: .set),
                                       Dose(target: "y", time: 7, amount: 0.25, kind: .set), Dose(target: "x", time: 20, amount: 1)] }
            if i % 13 == 6 { p.doses = [Dose(target: "y", time: 1, amount: 0.5, kind: .infusion(duration: 2))] }  // scalar path
            if i == 17 { throw Refused() }
        }
        for options in [SolverOptions(), SolverOptions(method: .dopri5, relativeTolerance: 1e-8, absoluteTolerance: 1e-10),
                        SolverOptions(method: .dopri5, maxSteps: 40)] {
            let count = 37
            let expected = scalarResults(template, count: count, options: options, configure: configure)
            #expect(expected.contains { $0.map { !$0.status.isSuccess } ?? false })
            for threads in [1, 2] {
                let results = Ensemble.run(template: template, count: count, threads: threads, options: options,
                                           configure: configure, reduce: { _, r in r })
                for i in 0..<count { expectIdentical(results[i], expected[i], i) }
            }
        }
    }

    @Test func lanesThatTurnStiffAreSolvedOnTheScalarPath() throws {
        let vdp = StiffProblems.vanDerPol
        let model = try CompiledModel(try odeModel(states: vdp.states.map { ($0.0, $0.1, $0.2.replacingOccurrences(of: "1000", with: "mu")) },
                                                   parameters: ["mu": 1000]))
        let template = SimulationProblem(model: model, outputTimes: SimulationProblem.grid(from: 0, to: 50, points: 11))
        let mu = try #require(model.inputIndex(of: "mu"))
        // mu from 0.5 (non-stiff, stays on DOPRI5) to 500 (stiff, `auto` switches to RODAS4)
        let configure: (Int, inout SimulationProblem) throws -> Void = { i, p in p.inputs[mu] = i % 2 == 0 ? 0.5 + Double(i) / 10 : 50 * Double(i) }
        let count = 20
        let expected = scalarResults(template, count: count, options: SolverOptions(), configure: configure)
        #expect(expected.contains { $0?.statistics.switchedToStiffAt != nil })
        #expect(expected.contains { $0?.statistics.switchedToStiffAt == nil })
        let results = Ensemble.run(template: template, count: count, threads: 1, options: SolverOptions(),
                                   configure: configure, reduce: { _, r in r })
        for i in 0..<count { expectIdentical(results[i], expected[i], i) }
    }

    @Test func lanesWithEventsMatchTheScalarPath() throws {
        // x decays at rate k; "refill" fires when x < 0.5 (only for the faster decays within the horizon);
        // "start" fires at t0 when x0 > 1.5 (its trigger is false just before t0), which the lane hands back at once.
        let model = try CompiledModel(try odeModel(states: [("x", 1, "-k*x"), ("w", 0, "x")], parameters: ["k": 0.1],
            events: [Event(id: "refill", trigger: try parse("x < 0.5"), assignments: [EventAssignment(variable: "x", math: try parse("1"))]),
                     Event(id: "start", trigger: try parse("x > 1.5"), initialValue: false,
                           assignments: [EventAssignment(variable: "w", math: try parse("-1"))])]))
        let template = SimulationProblem(model: model, outputTimes: SimulationProblem.grid(from: 0, to: 10, points: 21))
        let k = try #require(model.inputIndex(of: "k")), x0 = try #require(model.inputIndex(of: "x"))
        let configure: (Int, inout SimulationProblem) throws -> Void = { i, p in
            p.inputs[k] = 0.01 + 0.02 * Double(i)      // x reaches 0.5 before t = 10 when k > ln 2 / 10
            if i % 9 == 4 { p.inputs[x0] = 2 }
            if i % 4 == 1 { p.doses = [Dose(target: "k", time: 3, amount: 0.5, kind: .set), Dose(target: "x", time: 6, amount: 0.2)] }
        }
        let count = 45
        let expected = scalarResults(template, count: count, options: SolverOptions(), configure: configure)
        #expect(expected.contains { ($0?.statistics.eventsExecuted ?? 0) > 0 })
        #expect(expected.contains { $0?.statistics.eventsExecuted == 0 })
        let results = Ensemble.run(template: template, count: count, threads: 1, options: SolverOptions(),
                                   configure: configure, reduce: { _, r in r })
        for i in 0..<count { expectIdentical(results[i], expected[i], i) }
    }

    @Test func batchedPathCoversExplicitRunsWithoutFixedSteps() throws {
        let plain = try CompiledModel(try odeModel(states: [("x", 1, "-x")]))
        #expect(BatchIntegrator.covers(plain, SolverOptions()))
        #expect(BatchIntegrator.covers(plain, SolverOptions(method: .dopri5)))
        #expect(!BatchIntegrator.covers(plain, SolverOptions(method: .rodas4)))
        #expect(BatchIntegrator.covers(plain, SolverOptions(method: .rodas5p)))
        #expect(!BatchIntegrator.covers(plain, SolverOptions(fixedStepSize: 0.1)))
        let withEvent = try CompiledModel(try odeModel(states: [("x", 1, "-x")], events: [
            Event(id: "e", trigger: try parse("x < 0.5"), assignments: [EventAssignment(variable: "x", math: try parse("1"))])]))
        // comparisons in triggers are root-tracked every step on the scalar path (a trigger true only inside one
        // step must not be missed), and delay() needs the run's history: both stay on the scalar path
        #expect(!BatchIntegrator.covers(withEvent, SolverOptions()))
        var limited = SolverOptions()
        limited.timeLimit = 10
        #expect(!BatchIntegrator.covers(plain, limited))
        let delayed = try CompiledModel(try odeModel(states: [("x", 1, "-delay(x, 1)")]))
        #expect(!BatchIntegrator.covers(delayed, SolverOptions()))
    }
}
