import Foundation
import Testing
import ModelIR
@testable import Simulation

/// A right-hand side that switches at a time known before the run (`piecewise(0, time < ton, k)`, the form of
/// PEtab stimuli such as Weber_BMC2015's PdBu at t = 24) is integrated up to that time and on from it: no step
/// straddles the switch, so error control never has to resolve the jump.
@Suite struct TimeBreakpointTests {
    /// x' = 0 before ton, k after: x(t) = k · max(0, t − ton); y' = −y, a smooth companion.
    static let states: [(String, Double, String)] = [("x", 0, "piecewise(0, time < ton, k)"), ("y", 1, "-y")]
    static let parameters = ["ton": 24.3, "k": 1e6]

    @Test func compilerFindsTimeComparisonsWithInvariantSides() throws {
        func count(_ rhs: String) throws -> Int {
            try CompiledModel(try odeModel(states: [("x", 0, rhs), ("z", 1, "-z")], parameters: ["a": 2, "b": 3])).breakpoints.results.count
        }
        #expect(try count("piecewise(1, time < a, 0)") == 1)
        #expect(try count("piecewise(1, time - a >= 0, 0)") == 1)
        #expect(try count("piecewise(1, a + b > time, 0)") == 1)
        #expect(try count("piecewise(1, b - time <= a, 0) + piecewise(2, time > a, 0)") == 2)  // b − a and a
        #expect(try count("piecewise(1, time < a, 0) + piecewise(2, a > time, 3)") == 1)   // the same time once
        #expect(try count("piecewise(1, 2*time < a, 0)") == 0)   // not a unit slope: left to error control
        #expect(try count("piecewise(1, z < a, 0)") == 0)        // a state
        #expect(try count("-x") == 0)
    }

    @Test(arguments: [SolverMethod.dopri5, .rodas5p, .rodas4, .auto])
    func aSwitchAtAKnownTimeIsAStopNotAStepSizeCollapse(method: SolverMethod) throws {
        let model = try CompiledModel(try odeModel(states: Self.states, parameters: Self.parameters))
        #expect(model.breakpoints.results.count == 1)
        let times = [0, 10, 24.3, 30, 48]
        let rtol = 1e-8, atol = 1e-8
        let r = try SimulationProblem(model: model, outputTimes: times).solve(SolverOptions(method: method, relativeTolerance: rtol,
                                                                                            absoluteTolerance: atol))
        #expect(r.status == .success)
        for (row, t) in times.enumerated() {
            let exact = [1e6 * max(0, t - 24.3), exp(-t)]
            let got = Array(r.values[(row * 2)..<(row * 2 + 2)])
            #expect(scaledError(got, exact, rtol: rtol, atol: atol) <= 10, "\(method) t = \(t): \(got) vs \(exact)")
        }
        // A step across the jump of 1e6 would be rejected until h ≈ tolerance / 1e6: dozens of rejections.
        #expect(r.statistics.rejectedSteps <= 3, "\(method): \(r.statistics.rejectedSteps) rejected steps")
    }

    @Test func sensitivitiesAcrossTheSwitchStayFinite() throws {
        // d x / d k = max(0, t − ton): the sensitivity system jumps too (the Weber fits' step-size underflows).
        let augmented = try CompiledModel(try odeModel(states: Self.states, parameters: Self.parameters), sensitivities: ["k"])
        let rtol = 1e-8
        let r = try SimulationProblem(model: augmented, outputTimes: [0, 48])
            .solve(SolverOptions(method: .rodas5p, relativeTolerance: rtol, absoluteTolerance: 1e-10))
        #expect(r.status == .success)
        let row = lastRow(r)
        let dxdk = row[augmented.baseOutputCount]
        #expect(abs(dxdk - 23.7) <= 10 * rtol * 23.7 + 1e-8, "\(dxdk)")
    }

    /// x' = k after ta + tb, z' = x before toff: at T = 20 (ta + tb = 5, toff = 12, k = 2) x = k (T − ta − tb) and
    /// z = k (toff − ta − tb)²/2. Their derivatives with respect to the switching times come only from the jumps of
    /// the sensitivities at the switches (∂f/∂ton is zero on both sides): dx/dta = −k, dz/dtoff = k (toff − ton).
    @Test(arguments: [SolverMethod.rodas5p, .dopri5, .auto])
    func sensitivitiesWithRespectToSwitchingTimes(method: SolverMethod) throws {
        let states: [(String, Double, String)] = [("x", 0, "piecewise(0, time < ta + tb, k)"), ("z", 0, "piecewise(x, time < toff, 0)")]
        let inputs = ["ta", "tb", "toff", "k"]
        let model = try CompiledModel(try odeModel(states: states, parameters: ["ta": 3, "tb": 2, "toff": 12, "k": 2]),
                                      sensitivities: inputs)
        let rtol = 1e-8, atol = 1e-10
        let r = try SimulationProblem(model: model, outputTimes: [0, 5, 12, 20])
            .solve(SolverOptions(method: method, relativeTolerance: rtol, absoluteTolerance: atol))
        #expect(r.status == .success)
        let row = lastRow(r), base = model.baseOutputCount
        let (k, ton, toff, end) = (2.0, 5.0, 12.0, 20.0)
        let window = toff - ton
        // per input: (dx, dz)
        let exact: [String: (Double, Double)] = ["ta": (-k, -k * window), "tb": (-k, -k * window),
                                                  "toff": (0, k * window), "k": (end - ton, window * window / 2)]
        #expect(abs(row[0] - k * (end - ton)) <= 10 * (rtol * k * (end - ton) + atol))
        for (p, input) in inputs.enumerated() {
            let (dx, dz) = exact[input]!
            let got = (row[base + p * base], row[base + p * base + 1])
            #expect(abs(got.0 - dx) <= 10 * (rtol * abs(dx) + atol) + 1e-9, "\(method) dx/d\(input) = \(got.0), exact \(dx)")
            #expect(abs(got.1 - dz) <= 10 * (rtol * abs(dz) + atol) + 1e-9, "\(method) dz/d\(input) = \(got.1), exact \(dz)")
        }
    }

    @Test(arguments: [SolverMethod.auto, .rodas5p])
    func ensemblesGiveTheScalarResultsWithSwitchesInsideAndOutsideTheSpan(method: SolverMethod) throws {
        // ton = 10 … 73: inside the span [0, 48] for the first runs (scalar path), beyond it for the others (batched).
        let model = try CompiledModel(try odeModel(states: Self.states, parameters: Self.parameters))
        let template = SimulationProblem(model: model, outputTimes: SimulationProblem.grid(from: 0, to: 48, points: 25))
        let index = try #require(model.inputIndex(of: "ton"))
        let configure: (Int, inout SimulationProblem) throws -> Void = { i, p in p.inputs[index] = 10 + 3 * Double(i) }
        BatchedEnsembleTests().expectEnsembleMatchesScalarRuns(template, count: 22, options: SolverOptions(method: method),
                                                               configure: configure)
    }
}
