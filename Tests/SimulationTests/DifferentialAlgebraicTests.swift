import Foundation
import Testing
import ModelIR
@testable import Simulation

/// Algebraic rules, fast reactions (rapid equilibrium) and `rateOf` in initial values, against closed forms.
@Suite struct DifferentialAlgebraicTests {
    let rtol = 1e-9, atol = 1e-12
    /// Global error allowed: a small multiple of the requested local tolerance.
    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 100 * (atol + rtol * abs(b)) }

    /// x' = -x, x(0) = 1 and 0 = y - 2x  ⇒  y = 2 e^{-t}.
    @Test func algebraicRuleLinearInItsVariableIsSolved() throws {
        var m = try odeModel(states: [("x", 1, "-x")])
        m.parameters.append(Parameter(id: "y", value: 0, constant: false))
        m.rules.append(.algebraic(math: try parse("y - 2*x")))
        let r = try SimulationProblem(model: try CompiledModel(m, outputs: [.value("y")]), outputTimes: [0, 1, 2])
            .solve(SolverOptions(relativeTolerance: rtol, absoluteTolerance: atol))
        for (t, y) in zip(r.times, r.series("y")!) { #expect(close(y, 2 * exp(-t)), "y(\(t)) = \(y)") }
    }

    /// 0 = a + b - 3 and 0 = a - b - 1 (coupled) ⇒ a = 2, b = 1; a third rule uses an assignment rule.
    @Test func coupledLinearAlgebraicRulesAreEliminated() throws {
        var m = Model(id: "m", parameters: [Parameter(id: "a", value: 0, constant: false), Parameter(id: "b", value: 0, constant: false),
                                           Parameter(id: "c", value: 0, constant: false), Parameter(id: "s", constant: false)])
        m.rules = [.algebraic(math: try parse("a + b - 3")), .algebraic(math: try parse("a - b - 1")),
                   .assignment(variable: "s", math: try parse("a + c")), .algebraic(math: try parse("2*s - 10 + time"))]
        let r = try SimulationProblem(model: try CompiledModel(m, outputs: [.value("a"), .value("b"), .value("c")]), outputTimes: [0, 2]).solve()
        #expect(r.series("a") == [2, 2])
        #expect(r.series("b") == [1, 1])
        // 2 (a + c) = 10 - t  ⇒  c = (10 - t)/2 - 2
        #expect(r.series("c") == [3, 2])
    }

    /// x' = 2 and 0 = rateOf(x) - p  ⇒  p = 2 (rateOf not mentioning p is a constant with respect to p).
    @Test func algebraicRuleWithRateOfIsSolved() throws {
        var m = try odeModel(states: [("x", 0, "2")])
        m.parameters.append(Parameter(id: "p", value: 0, constant: false))
        m.rules.append(.algebraic(math: try parse("rateOf(x) - p")))
        let r = try SimulationProblem(model: try CompiledModel(m, outputs: [.value("p")]), outputTimes: [0, 1]).solve()
        #expect(r.series("p") == [2, 2])
    }

    @Test func nonlinearAlgebraicRuleIsRejectedNamingTheVariable() throws {
        var m = try odeModel(states: [("x", 1, "-x")])
        m.parameters.append(Parameter(id: "y", value: 1, constant: false))
        m.rules.append(.algebraic(math: try parse("y^2 - x")))
        #expect {
            _ = try CompiledModel(m)
        } throws: { error in
            "\(error)".contains("not linear") && "\(error)".contains("'y'")
        }
    }

    /// Fast A <-> B (rate A - 2B) and slow B -> ∅ (rate B/2), amounts A = 3, B = 0 at the start.
    /// Equilibrium A = 2B with pool T = A + B, T' = -B/2 = -T/6: B = e^{-t/6}, A = 2 e^{-t/6}
    /// (the start is equilibrated: A(0) = 2, B(0) = 1).
    @Test func fastReactionIsARapidEquilibrium() throws {
        let m = Model(id: "fast", compartments: [Compartment(id: "C", size: 1)],
                      species: [Species(id: "A", compartment: "C", initialAmount: 3, hasOnlySubstanceUnits: true),
                                Species(id: "B", compartment: "C", initialAmount: 0, hasOnlySubstanceUnits: true)],
                      reactions: [Reaction(id: "R1", reactants: [SpeciesReference(species: "A")], products: [SpeciesReference(species: "B")],
                                           kineticLaw: try parse("A - 2*B"), reversible: true, fast: true),
                                  Reaction(id: "R2", reactants: [SpeciesReference(species: "B")], kineticLaw: try parse("B/2"))])
        let r = try SimulationProblem(model: try CompiledModel(m, outputs: [.value("A"), .value("B")]), outputTimes: [0, 1, 3])
            .solve(SolverOptions(relativeTolerance: rtol, absoluteTolerance: atol))
        for (k, t) in r.times.enumerated() {
            #expect(close(r.series("A")![k], 2 * exp(-t / 6)), "A(\(t))")
            #expect(close(r.series("B")![k], exp(-t / 6)), "B(\(t))")
        }
    }

    /// p1' = 3 and p2 = rateOf(p1) as p2's initial value ⇒ p2 = 3.
    @Test func rateOfInAnInitialAssignmentIsTheStartingDerivative() throws {
        var m = try odeModel(states: [("p1", 2, "3")])
        m.parameters.append(Parameter(id: "p2", constant: true))
        m.initialAssignments = [InitialAssignment(symbol: "p2", math: try parse("rateOf(p1)"))]
        let r = try SimulationProblem(model: try CompiledModel(m, outputs: [.value("p2")]), outputTimes: [0, 1]).solve()
        #expect(r.series("p2") == [3, 3])
    }
}

/// `delay(x, tau)`: the method of steps on the solver's dense output.
@Suite struct DelayTests {
    /// y' = -y(t - 1) with y = 1 before 0: y = 1 - t on [0, 1], y = -2(t - 1) + (t² - 1)/2 on [1, 2].
    @Test(arguments: [SolverMethod.dopri5, .rodas4, .rodas5p])
    func delayEquationMatchesTheMethodOfStepsSolution(method: SolverMethod) throws {
        let rtol = 1e-9, atol = 1e-12
        let m = try odeModel(states: [("y", 1, "-delay(y, 1)")])
        let times = [0.5, 1, 1.5, 2]
        let r = try SimulationProblem(model: try CompiledModel(m), outputTimes: times)
            .solve(SolverOptions(method: method, relativeTolerance: rtol, absoluteTolerance: atol))
        let exact = times.map { t in t <= 1 ? 1 - t : -2 * (t - 1) + (t * t - 1) / 2 }
        for (k, t) in times.enumerated() {
            let y = r.series("y")![k]
            #expect(abs(y - exact[k]) <= 1000 * (atol + rtol * abs(exact[k])), "y(\(t)) = \(y), exact \(exact[k])")
        }
    }

    /// Before the start the history is the initial values evaluated at that time: x = sin(10 t) there.
    @Test func historyBeforeTheStartUsesTheInitialValues() throws {
        var m = try odeModel(states: [("x", 0, "1")])
        m.initialAssignments = [InitialAssignment(symbol: "x", math: try parse("sin(10*time)"))]
        m.parameters.append(Parameter(id: "y", constant: false))
        m.rules.append(.assignment(variable: "y", math: try parse("2 + delay(x, 0.2)")))
        let r = try SimulationProblem(model: try CompiledModel(m, outputs: [.value("y")]), outputTimes: [0, 0.1, 0.5]).solve()
        let y = r.series("y")!
        #expect(abs(y[0] - (2 + sin(-2))) < 1e-12)
        #expect(abs(y[1] - (2 + sin(-1))) < 1e-12)
        #expect(abs(y[2] - 2.3) < 1e-9)  // x(0.3) = 0.3 (x' = 1 from x(0) = 0)
    }
}

/// Run limits and event detection details.
@Suite struct RunLimitAndEventWindowTests {
    @Test func wallClockLimitStopsTheRunWithAStatus() throws {
        let m = try odeModel(states: [("x", 1, "-x")])
        var options = SolverOptions()
        options.maxStepSize = 1e-3
        options.timeLimit = 0
        let r = try SimulationProblem(model: try CompiledModel(m), outputTimes: [1e6]).solve(options)
        guard case .timedOut = r.status else { Issue.record("expected timedOut, got \(r.status)"); return }
    }

    /// k' = 1: the trigger 4.5 < k < 5.1 holds only in a window of 0.6, which one step of a linear solution
    /// would cross; the comparisons' sign changes stop the step at 4.5, so the event fires at t = 4.5.
    @Test func narrowTriggerWindowIsNotSteppedOver() throws {
        var m = try odeModel(states: [("k", 0, "1"), ("hit", 0, "0")])
        m.events = [Event(id: "E", trigger: try parse("k > 4.5 && k < 5.1"), assignments: [EventAssignment(variable: "hit", math: .time)])]
        let r = try SimulationProblem(model: try CompiledModel(m), outputTimes: [0, 10]).solve()
        #expect(abs(r.series("hit")!.last! - 4.5) < 1e-9)
    }

    /// A rate-ruled concentration S (S' = 0.4, C' = 0.2 from C = 0.5) when an event at t = 0.45 sets C = 0.2:
    /// the amount is conserved, so S jumps from 0.18 to 0.18 · 0.59 / 0.2.
    @Test func resizingACompartmentByAnEventConservesAmounts() throws {
        let m = Model(id: "m", compartments: [Compartment(id: "C", size: 0.5, constant: false)],
                      species: [Species(id: "S", compartment: "C", initialConcentration: 0)],
                      rules: [.rate(variable: "S", math: .number(0.4)), .rate(variable: "C", math: .number(0.2))],
                      events: [Event(id: "E", trigger: try parse("time >= 0.45"), assignments: [EventAssignment(variable: "C", math: .number(0.2))])])
        let r = try SimulationProblem(model: try CompiledModel(m, outputs: [.value("S")]), outputTimes: [0.5])
            .solve(SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
        #expect(abs(r.series("S")![0] - (0.18 * 0.59 / 0.2 + 0.02)) < 1e-8)
    }
}
