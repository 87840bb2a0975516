import Foundation
import Testing
import ModelIR
@testable import Simulation

@Suite struct EventTests {
    /// x' = -x from 1: the trigger x < 0.5 first holds at t = ln 2; the event records the time and resets x.
    @Test(arguments: [SolverMethod.dopri5, .rodas4, .rodas5p])
    func eventTimeIsLocatedToBetterThan1e9(method: SolverMethod) throws {
        var m = try odeModel(states: [("x", 1, "-x"), ("tEvent", -1, "0")])
        m.events = [Event(id: "E", trigger: try parse("x < 0.5"),
                          assignments: [EventAssignment(variable: "tEvent", math: .time), EventAssignment(variable: "x", math: .number(1))])]
        let r = try SimulationProblem(model: try CompiledModel(m), outputTimes: [1.0])
            .solve(SolverOptions(method: method, relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
        let tEvent = try #require(r.series("tEvent")?.last)
        #expect(abs(tEvent - log(2)) < 1e-9, "event at \(tEvent), expected ln 2")
        // After the reset at ln 2, x = exp(-(1 - ln 2)).
        #expect(abs(r.series("x")!.last! - exp(-(1 - log(2)))) < 1e-8)
    }

    @Test func timeTriggerFiresExactlyAtItsTime() throws {
        var m = try odeModel(states: [("x", 0, "1"), ("hit", 0, "0")])
        m.events = [Event(id: "E", trigger: try parse("time >= 2"), assignments: [EventAssignment(variable: "hit", math: .time)])]
        let r = try SimulationProblem(model: try CompiledModel(m), outputTimes: [0, 1, 2, 3]).solve()
        #expect(r.series("hit") == [0, 0, 2, 2])
    }

    @Test func delayedEventsExecuteAfterTheirDelayAndNonPersistentOnesCanBeCancelled() throws {
        var m = try odeModel(states: [("x", 0, "1"), ("a", 0, "0"), ("b", 0, "0")])
        m.events = [
            Event(id: "delayed", trigger: try parse("x > 1"), delay: .number(0.5), useValuesFromTriggerTime: false, assignments: [EventAssignment(variable: "a", math: .time)]),
            // trigger true only for x in (1, 1.2): cancelled before its delay of 0.5 elapses
            Event(id: "cancelled", trigger: try parse("x > 1 && x < 1.2"), persistent: false, delay: .number(0.5),
                  assignments: [EventAssignment(variable: "b", math: .number(1))]),
        ]
        let r = try SimulationProblem(model: try CompiledModel(m), outputTimes: [3]).solve()
        #expect(abs(r.series("a")!.last! - 1.5) < 1e-9)
        #expect(r.series("b")!.last! == 0)
    }

    @Test func priorityOrdersSimultaneousEvents() throws {
        var m = try odeModel(states: [("x", 0, "0")])
        m.events = [
            Event(id: "low", trigger: try parse("time > 1"), priority: .number(1), useValuesFromTriggerTime: false, assignments: [EventAssignment(variable: "x", math: try parse("x*10"))]),
            Event(id: "high", trigger: try parse("time > 1"), priority: .number(2), useValuesFromTriggerTime: false, assignments: [EventAssignment(variable: "x", math: try parse("x + 1"))]),
        ]
        let r = try SimulationProblem(model: try CompiledModel(m), outputTimes: [2]).solve()
        #expect(r.series("x")!.last! == 10)  // (0 + 1) * 10: the higher priority executes first
    }

    /// Equal priorities execute in random order (SBML L3): over many seeds both orders occur, and a seed
    /// always gives the same order.
    @Test func equalPrioritiesExecuteInSeededRandomOrder() throws {
        var m = try odeModel(states: [("x", 0, "0")])
        m.events = [
            Event(id: "times10", trigger: try parse("time > 1"), priority: .number(1), useValuesFromTriggerTime: false, assignments: [EventAssignment(variable: "x", math: try parse("x*10"))]),
            Event(id: "plus1", trigger: try parse("time > 1"), priority: .number(1), useValuesFromTriggerTime: false, assignments: [EventAssignment(variable: "x", math: try parse("x + 1"))]),
        ]
        let compiled = try CompiledModel(m)
        func outcome(_ seed: UInt64) throws -> Double {
            var options = SolverOptions()
            options.eventSeed = seed
            return try SimulationProblem(model: compiled, outputTimes: [2]).solve(options).series("x")!.last!
        }
        let outcomes = try (0..<40).map { try outcome(UInt64($0)) }
        #expect(Set(outcomes) == [1, 10])
        #expect(try (0..<40).map { try outcome(UInt64($0)) } == outcomes)
    }

    @Test func eventsWithInitialValueFalseFireAtTheStart() throws {
        var m = try odeModel(states: [("x", 0, "0")])
        m.events = [Event(id: "E", trigger: try parse("time >= 0"), initialValue: false, assignments: [EventAssignment(variable: "x", math: .number(5))])]
        let r = try SimulationProblem(model: try CompiledModel(m), outputTimes: [0, 1]).solve()
        #expect(r.series("x") == [5, 5])
    }

    @Test func valuesFromTriggerTimeAreUsedWhenAsked() throws {
        var m = try odeModel(states: [("x", 0, "1"), ("fromTrigger", 0, "0"), ("fromExecution", 0, "0")])
        m.events = [
            Event(id: "A", trigger: try parse("time > 1"), delay: .number(1), useValuesFromTriggerTime: true, assignments: [EventAssignment(variable: "fromTrigger", math: .symbol("x"))]),
            Event(id: "B", trigger: try parse("time > 1"), delay: .number(1), useValuesFromTriggerTime: false, assignments: [EventAssignment(variable: "fromExecution", math: .symbol("x"))]),
        ]
        let r = try SimulationProblem(model: try CompiledModel(m), outputTimes: [3]).solve(SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
        #expect(abs(r.series("fromTrigger")!.last! - 1) < 1e-8)
        #expect(abs(r.series("fromExecution")!.last! - 2) < 1e-8)
    }

    @Test func eventsTriggeringEachOtherForeverEndAsAStatus() throws {
        var m = try odeModel(states: [("x", 0, "0")])
        m.events = [
            Event(id: "up", trigger: try parse("x < 0.5"), initialValue: false, assignments: [EventAssignment(variable: "x", math: .number(1))]),
            Event(id: "down", trigger: try parse("x > 0.5"), assignments: [EventAssignment(variable: "x", math: .number(0))]),
        ]
        let r = try SimulationProblem(model: try CompiledModel(m), outputTimes: [1]).solve()
        guard case .eventLoop = r.status else { Issue.record("expected an event loop, got \(r.status)"); return }
    }
}

@Suite struct DoseTests {
    /// x' = -k x with k = 0.5: a bolus of 2 at t = 1 and an infusion of 3 over [2, 4].
    func model() throws -> CompiledModel {
        try CompiledModel(Model(id: "pk", compartments: [Compartment(id: "central", size: 2)],
                                species: [Species(id: "x", compartment: "central", initialAmount: 0, hasOnlySubstanceUnits: true)],
                                parameters: [Parameter(id: "k", value: 0.5)],
                                reactions: [Reaction(id: "elim", reactants: [SpeciesReference(species: "x")], kineticLaw: try parse("k*x"))]))
    }

    func exact(_ t: Double) -> Double {
        let k = 0.5, rate = 1.5
        var x = t >= 1 ? 2 * exp(-k * (t - 1)) : 0
        if t > 2 { x += rate / k * (1 - exp(-k * (min(t, 4) - 2))) * exp(-k * max(0, t - 4)) }
        return x
    }

    @Test(arguments: [[1.0, 2.0, 3.0, 4.0, 6.0], [6.0], [0.5, 1.0, 1.7, 2.0, 2.2, 3.9, 4.1, 6.0]])
    func dosesAreExactStopsIndependentOfTheOutputGrid(times: [Double]) throws {
        var p = SimulationProblem(model: try model(), outputTimes: times)
        p.doses = [Dose(target: "x", time: 1, amount: 2), Dose(target: "x", time: 2, amount: 3, kind: .infusion(duration: 2))]
        let r = try p.solve(SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
        for (row, t) in times.enumerated() {
            #expect(abs(r[row, 0] - exact(t)) < 1e-8, "t = \(t): \(r[row, 0]) vs \(exact(t))")
        }
    }

    @Test func setDoseSwitchesATreatmentInput() throws {
        var p = SimulationProblem(model: try model(), outputTimes: [1, 2])
        try p.set("x", to: 1)
        p.doses = [Dose(target: "k", time: 1, amount: 0, kind: .set)]
        let r = try p.solve(SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
        #expect(abs(r[0, 0] - exp(-0.5)) < 1e-8)
        #expect(abs(r[1, 0] - exp(-0.5)) < 1e-8)  // elimination switched off at t = 1
    }

    @Test func unknownDoseTargetIsAnError() throws {
        var p = SimulationProblem(model: try model(), outputTimes: [1])
        p.doses = [Dose(target: "nope", time: 0.5, amount: 1)]
        #expect(throws: SimulationError.unknownInput("nope")) { try p.solve() }
    }
}

@Suite struct FailureTests {
    /// y' = y² from 1 has a pole at t = 1: the run must end with a status, quickly.
    @Test(arguments: [SolverMethod.auto, .dopri5, .rodas4, .rodas5p])
    func finiteTimeBlowUpIsAStatusNotACrash(method: SolverMethod) throws {
        let model = try CompiledModel(odeModel(states: [("y", 1, "y^2")]))
        let r = try SimulationProblem(model: model, outputTimes: [0.5, 2]).solve(SolverOptions(method: method))
        #expect(!r.status.isSuccess)
        switch r.status {
        case .blowUp(let t, let v), .nonFinite(let t, let v):
            #expect(v == "y")
            #expect(abs(t - 1) < 1e-3)
        case .stepSizeUnderflow(let t, _): #expect(abs(t - 1) < 1e-3)
        default: Issue.record("unexpected status \(r.status)")
        }
        #expect(abs(r[0, 0] - 2) < 1e-5)  // y(0.5) = 1 / (1 - 0.5)
        #expect(r[1, 0].isNaN)
        #expect(r.statistics.acceptedSteps + r.statistics.rejectedSteps < 5_000)
    }

    @Test func nanIsReportedWithTheVariable() throws {
        let model = try CompiledModel(odeModel(states: [("y", 1, "-1"), ("z", 0, "sqrt(y)")]))
        let r = try SimulationProblem(model: model, outputTimes: [3]).solve()
        #expect(!r.status.isSuccess, "\(r.status)")
    }

    @Test func maxStepsIsAStatus() throws {
        let model = try CompiledModel(odeModel(states: [("y", 0, "cos(100*time)")]))
        let r = try SimulationProblem(model: model, outputTimes: [100]).solve(SolverOptions(maxSteps: 50))
        guard case .maxSteps = r.status else { Issue.record("got \(r.status)"); return }
    }
}
