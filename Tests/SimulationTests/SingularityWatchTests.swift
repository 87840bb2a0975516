import Foundation
import ModelIR
import Testing
@testable import Simulation

/// A finite-time singularity ends as `.blowUp` soon after the approach becomes self-similar (not after the
/// step size underflows), and smooth fast dynamics are not mistaken for one.
@Suite struct SingularityWatchTests {
    /// y' = y² from y(0) = 1: y = 1 / (1 − t), pole at t = 1.
    func pole() throws -> CompiledModel { try CompiledModel(odeModel(states: [("y", 1, "y^2")])) }

    @Test(arguments: [SolverMethod.auto, .dopri5, .rodas4, .rodas5p])
    func aPoleIsReportedAsBlowUpBeforeTheStepSizeUnderflows(method: SolverMethod) throws {
        let options = SolverOptions(method: method)
        let r = try SimulationProblem(model: pole(), outputTimes: [0.5, 0.9, 2]).solve(options)
        guard case .blowUp(let t, let variable) = r.status else {
            Issue.record("expected a blow-up, got \(r.status)")
            return
        }
        #expect(variable == "y")
        // reported on the way to the pole: y has grown by the watch's factor, so 1 − t ≤ 1e-3
        #expect(t < 1 && t > 1 - 1e-3)
        // outputs before the pole are kept, to the tolerance asked
        for (k, time) in [0.5, 0.9].enumerated() {
            let exact = 1 / (1 - time)
            #expect(abs(r[k, 0] - exact) <= 10 * (options.absoluteTolerance + options.relativeTolerance * exact))
        }
        #expect(r[2, 0].isNaN)
        // without the watch the approach runs on until h underflows (1 − t ~ 1e-15): hundreds of steps more
        #expect(r.statistics.acceptedSteps + r.statistics.rejectedSteps < 150)
    }

    @Test func aRunThatEndsBeforeThePoleSucceeds() throws {
        // the extrapolated singularity (t = 1) lies after the end, so the steep approach is integrated
        let options = SolverOptions(method: .dopri5, relativeTolerance: 1e-8, absoluteTolerance: 1e-10)
        let r = try SimulationProblem(model: pole(), outputTimes: [0.9999]).solve(options)
        #expect(r.status == .success)
        // a relative error made at s grows by (1 − s)/(1 − t) up to t, so the global relative error is
        // of order rtol/(1 − t)
        #expect(abs(r[0, 0] - 1e4) / 1e4 <= options.relativeTolerance / (1 - 0.9999))
    }

    @Test(arguments: [SolverMethod.dopri5, .rodas4, .rodas5p])
    func steepBoundedGrowthIsNotABlowUp(method: SolverMethod) throws {
        // logistic growth over nine decades, y = K / (1 + (K − 1) e^(−r t)), and fast exponential growth
        let model = try CompiledModel(odeModel(states: [("y", 1, "r*y*(1 - y/K)"), ("z", 1, "30*z")],
                                               parameters: ["r": 20, "K": 1e9]))
        let options = SolverOptions(method: method, relativeTolerance: 1e-8, absoluteTolerance: 1e-10)
        let r = try SimulationProblem(model: model, outputTimes: [0.5, 1, 3]).solve(options)
        #expect(r.status == .success)
        for (k, time) in [0.5, 1, 3].enumerated() {
            let logistic = 1e9 / (1 + (1e9 - 1) * exp(-20 * time)), exponential = exp(30 * time)
            #expect(abs(r[k, 0] - logistic) <= 1e3 * options.relativeTolerance * logistic)
            #expect(abs(r[k, 1] - exponential) <= 1e3 * options.relativeTolerance * exponential)
        }
    }

    @Test func theWatchNeedsAShrinkingSelfSimilarRun() {
        var watch = SingularityWatch()
        // steps falling by 0.8 and the state rising by 1.25 per step: a pole at t + h·0.8/0.2
        var t = 0.0, h = 0.1, y = 1.0, reported: Int?
        for k in 1...60 {
            t += h
            if watch.accepted(step: h, largest: y, endingAt: t, stop: 100) {
                reported = k
                break
            }
            h *= 0.8
            y *= 1.25
        }
        // 0.8^(k−1) ≤ 1e-3 needs k − 1 ≥ 31
        #expect(reported == 32)
        // the same run with one step that does not shrink starts over
        watch = SingularityWatch()
        h = 0.1; y = 1; t = 0
        for k in 1...40 {
            t += h
            let reported = watch.accepted(step: h, largest: y, endingAt: t, stop: 100)
            #expect(!reported)  // restarts at k = 21: 52 steps needed
            h *= k == 20 ? 1.0 : 0.8
            y *= 1.25
        }
        // a singularity extrapolated beyond the stop is not reported
        watch = SingularityWatch()
        h = 0.1; y = 1; t = 0
        for _ in 1...60 {
            t += h
            let reported = watch.accepted(step: h, largest: y, endingAt: t, stop: t + 1e-9)
            #expect(!reported)
            h *= 0.8
            y *= 1.25
        }
    }

    /// The batched integrator's ordinary steps ask `takesAnchor` and then `record` instead of `accepted`: on a run
    /// that shrinks, restarts and reaches a pole, and on erratic steps, both ways report the same at every step.
    @Test func takesAnchorAndRecordAgreeWithAccepted() {
        var reference = SingularityWatch(), split = SingularityWatch()
        var t = 0.0, h = 0.1, y = 1.0, seed: UInt64 = 12345, anchored = 0, reported = false
        for k in 1...300 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let noise = Double(seed >> 11) / Double(1 << 53)
            // erratic steps first, then a shrinking run broken once (k = 150), then a pole approach
            if k <= 100 {
                h = 0.05 + 0.1 * noise
                y = 1 + noise
            } else {
                h *= k == 150 ? 1.0 : 0.8
                y *= 1.25
            }
            t += h
            let expected = reference.accepted(step: h, largest: y, endingAt: t, stop: 100)
            let got: Bool
            if split.takesAnchor(step: h, largest: y) {
                anchored += 1
                got = split.accepted(step: h, largest: y, endingAt: t, stop: 100)
            } else {
                split.record(step: h, largest: y)
                got = false
            }
            #expect(got == expected, "step \(k)")
            if expected {
                reported = true
                break
            }
        }
        #expect(reported)
        #expect(anchored >= SingularityWatch.decades)
    }

    /// Step sizes that shrink for long as the states grow but reach no singularity (steps limited by a
    /// stiffness that grows with the state): h = 0.5/t² with y = t², and h = 0.1 e^(−t) with y = e^t.
    @Test(arguments: [0, 1])
    func slowlyShrinkingStepsAreNotAPole(kind: Int) {
        var watch = SingularityWatch()
        // four decades of growth and step-size fall: t from 1 to 100 (about 670,000 steps), or to 1 + ln 10⁴
        var t = 1.0, steps = 0
        while t < (kind == 0 ? 100 : 1 + log(1e4)) {
            let h = kind == 0 ? 0.5 / (t * t) : 0.1 * exp(-t)
            let y = kind == 0 ? t * t : exp(t)
            t += h
            steps += 1
            let reported = watch.accepted(step: h, largest: y, endingAt: t, stop: 1e9)
            if reported {
                Issue.record("reported a singularity at t = \(t) after \(steps) steps")
                return
            }
        }
    }

    @Test func batchedLanesReportTheSameBlowUpAsTheScalarPath() throws {
        // explicit lanes, and stiff lanes (van der Pol, mu = 1000, switches to RODAS4) with a pole in z
        let model = try CompiledModel(odeModel(states: [("u", 2, "v"), ("v", 0, "mu*((1 - u^2)*v - u)"), ("z", 0.1, "c*z^2")],
                                               parameters: ["mu": 1, "c": 0.01]))
        let template = SimulationProblem(model: model, outputTimes: SimulationProblem.grid(from: 0, to: 20, points: 21))
        let mu = try #require(model.inputIndex(of: "mu")), c = try #require(model.inputIndex(of: "c"))
        let configure: (Int, inout SimulationProblem) throws -> Void = { i, p in
            p.inputs[mu] = i % 2 == 0 ? 1 : 1000
            if i % 3 == 1 { p.inputs[c] = 0.55 + 0.1 * Double(i % 5) }  // pole at t = 1/(c · 0.1) in 10.5…18.2
        }
        let count = 18
        let results = Ensemble.run(template: template, count: count, threads: 1, options: SolverOptions(),
                                   configure: configure, reduce: { _, r in r })
        var blowUps = 0
        for i in 0..<count {
            var p = template
            try configure(i, &p)
            let scalar = try p.solve(SolverOptions())
            #expect(results[i].status == scalar.status, "simulation \(i)")
            #expect(results[i].statistics == scalar.statistics, "simulation \(i)")
            #expect(results[i].values.map(\.bitPattern) == scalar.values.map(\.bitPattern), "simulation \(i)")
            if case .blowUp = scalar.status { blowUps += 1 }
        }
        #expect(blowUps == 6)
    }
}
