import Testing
@testable import Simulation

/// `auto`'s switch rule: Hairer's counted test at the stability boundary, plus the immediate switch when
/// stability alone would cost more than `StiffnessTest.stabilityStepLimit` Dormand–Prince steps.
@Suite struct StiffnessTestTests {
    @Test func countsStepsAtTheStabilityBoundaryAndResetsAfterNonStiffOnes() {
        var stiff = 0, nonStiff = 0
        func step(_ measure: Double) -> Bool {
            StiffnessTest.accepted(measure: measure, damped: true, step: 1, remaining: 1, stiffCount: &stiff, nonStiffCount: &nonStiff)
        }
        for _ in 1..<StiffnessTest.consecutive { #expect(!step(3.3)) }
        #expect(step(3.3))  // the 15th consecutive step at the boundary
        stiff = 0; nonStiff = 0
        for _ in 1..<StiffnessTest.consecutive { #expect(!step(3.3)) }
        for _ in 0..<StiffnessTest.reset { #expect(!step(1)) }
        #expect(stiff == 0)
        #expect(!step(3.3))
    }

    /// The batched integrator's ordinary steps ask `switches` before `accepted` updates the counters.
    @Test func switchesPredictsWhatAcceptedReturns() {
        let limit = 3.3 * StiffnessTest.stabilityStepLimit
        var cases = 0
        for measure in [0, 1, StiffnessTest.boundary, 3.3, 1e-3 * 0.99 * limit / 10, 1e-3 * 1.01 * limit / 10, .infinity, .nan] {
            for damped in [false, true] {
                for remaining in [0.0, 10, 1e6] {
                    for count in 0...StiffnessTest.consecutive {
                        var stiff = count, nonStiff = 2
                        let predicted = StiffnessTest.switches(measure: measure, damped: damped, step: 1e-3, remaining: remaining,
                                                               stiffCount: count)
                        let switched = StiffnessTest.accepted(measure: measure, damped: damped, step: 1e-3, remaining: remaining,
                                                              stiffCount: &stiff, nonStiffCount: &nonStiff)
                        #expect(predicted == switched, "measure \(measure), damped \(damped), remaining \(remaining), count \(count)")
                        cases += switched ? 1 : 0
                    }
                }
            }
        }
        #expect(cases > 0)
    }

    @Test func switchesAtOnceWhenStabilityAloneWouldCostTooManySteps() {
        var stiff = 0, nonStiff = 0
        let limit = 3.3 * StiffnessTest.stabilityStepLimit  // rho * remaining at the limit
        // measure h rho with h = 1e-3: rho = measure / h
        #expect(StiffnessTest.accepted(measure: 1e-3 * 1.01 * limit / 10, damped: true, step: 1e-3, remaining: 10,
                                       stiffCount: &stiff, nonStiffCount: &nonStiff))
        #expect(!StiffnessTest.accepted(measure: 1e-3 * 0.99 * limit / 10, damped: true, step: 1e-3, remaining: 10,
                                        stiffCount: &stiff, nonStiffCount: &nonStiff))
        #expect(!StiffnessTest.accepted(measure: 0.5, damped: true, step: 1e-3, remaining: 0,
                                        stiffCount: &stiff, nonStiffCount: &nonStiff))
        // a growing mode (a run near a finite-time blow-up) is fast, not stiff
        #expect(!StiffnessTest.accepted(measure: 1e-3 * 100 * limit / 10, damped: false, step: 1e-3, remaining: 10,
                                        stiffCount: &stiff, nonStiffCount: &nonStiff))
    }

    /// Robertson (eigenvalues to about −1e4 over t ∈ [0, 40]) switches within its first accepted steps; a slow linear
    /// decay (rho = 1 over 10 time units) never does, nor does y' = y² on [0, 1000] up to its pole at t = 1 (a fast growing mode).
    @Test func stiffModelsSwitchEarlyAndNonStiffOnesNever() throws {
        let robertson = try CompiledModel(odeModel(states: StiffProblems.robertson.states))
        let r = try SimulationProblem(model: robertson, outputTimes: [40]).solve()
        let switched = try #require(r.statistics.switchedToStiffAt)
        #expect(switched < 1e-2, "\(r.statistics)")
        #expect(r.statistics.acceptedSteps < 500, "\(r.statistics)")
        let decay = try CompiledModel(odeModel(states: [("x", 1, "-x"), ("y", 0, "x - 0.5 * y")]))
        let d = try SimulationProblem(model: decay, outputTimes: [10]).solve()
        #expect(d.status == .success)
        #expect(d.statistics.switchedToStiffAt == nil)
        let pole = try CompiledModel(odeModel(states: [("y", 1, "y^2")]))
        let p = try SimulationProblem(model: pole, outputTimes: [1000]).solve()
        #expect(!p.status.isSuccess)
        #expect(p.statistics.switchedToStiffAt == nil, "\(p.statistics)")
    }
}
