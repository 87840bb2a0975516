import Foundation
import Sampling
import Simulation
import Testing
@testable import Twins

/// Synthetic patients of the Baccam 2006 influenza model: truth drawn from the population prior, titres observed
/// with the error model's noise.
enum Synthetic {
    static let prior = try! TwinPrior.fromLibrary("baccam2006", errorSD: 0.3)
    static let model = try! PatientModel(prior: prior)

    static func truth(_ index: Int, seed: UInt64) -> [Double] {
        var rng = RandomStream(seed: seed, index: index, purpose: "truth")
        return prior.parameters.map { $0.mean + $0.sd * rng.nextNormal() }
    }

    static func observations(truth: [Double], times: [Double], seed: UInt64, index: Int, noise: Bool = true) throws -> [PatientObservation] {
        let result = try model.problem(at: truth, times: times).solve(SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
        var rng = RandomStream(seed: seed, index: index, purpose: "noise")
        let column = model.observables.firstIndex(of: "log10_titre")!
        return times.indices.map { t in
            PatientObservation(time: times[t], observable: "log10_titre",
                               value: result[t, column] + (noise ? 0.3 * rng.nextNormal() : 0), source: "synthetic")
        }
    }
}

@Suite struct TwinFitTests {
    @Test func mapWithoutNoiseAndWeakPriorRecoversTheTruth() throws {
        // a very weak prior (SD × 100) and exact data: the MAP must sit at the truth up to the data's leverage
        var weak = Synthetic.prior
        weak.parameters = weak.parameters.map { IndividualParameter(id: $0.id, scale: $0.scale, mean: $0.mean, sd: $0.sd * 100,
                                                                    lower: $0.mean - 6 * $0.sd, upper: $0.mean + 6 * $0.sd) }
        let model = try PatientModel(prior: weak)
        let truth = Synthetic.truth(3, seed: 5)
        let times = stride(from: 0.25, through: 7, by: 0.25).map { $0 }
        let data = try Synthetic.observations(truth: truth, times: times, seed: 5, index: 3, noise: false)
        let objective = try TwinObjective(model: model, observations: data)
        // c and δ are nearly interchangeable in the target-cell-limited model (a known practical
        // non-identifiability), so start in the truth's basin: half a prior SD away in every parameter
        let start = truth.enumerated().map { $1 + 0.5 * Synthetic.prior.parameters[$0].sd * ($0 % 2 == 0 ? 1 : -1) }
        let fit = try IndividualFit.map(objective, start: start)
        #expect(fit.converged)
        #expect(fit.objective <= objective.value(at: truth, gradient: nil) + 1e-9)
        for i in truth.indices {
            #expect(abs(fit.mode[i] - truth[i]) < 1e-3, "\(weak.parameters[i].id): \(fit.mode[i]) vs \(truth[i])")
        }
    }

    @Test func gradientMatchesFiniteDifferencesOfTheObjective() throws {
        let truth = Synthetic.truth(1, seed: 9)
        let data = try Synthetic.observations(truth: truth, times: [1, 2, 3, 4], seed: 9, index: 1)
        let objective = try TwinObjective(model: Synthetic.model, observations: data,
                                          options: SolverOptions(relativeTolerance: 1e-11, absoluteTolerance: 1e-13))
        let x = Synthetic.model.priorMean.map { $0 + 0.1 }
        let (f, g) = objective.valueAndGradient(at: x)
        #expect(f.isFinite)
        for i in x.indices {
            let h = 1e-3 * Synthetic.prior.parameters[i].sd
            var xp = x, xm = x
            xp[i] += h
            xm[i] -= h
            let fd = (objective.value(at: xp, gradient: nil) - objective.value(at: xm, gradient: nil)) / (2 * h)
            // central differences: error O(h²·f''') ~ 1e-6 relative here; the residual Jacobian is itself a
            // central difference with step 1e-4·SD
            #expect(abs(fd - g[i]) <= 1e-4 * max(1, abs(g[i])), "\(objective.parameterNames[i]): \(g[i]) vs \(fd)")
        }
    }

    @Test func posteriorShrinksAsObservationsAccumulate() throws {
        let truth = Synthetic.truth(2, seed: 11)
        let all = try Synthetic.observations(truth: truth, times: [0.5, 1, 1.5, 2, 3, 4, 5], seed: 11, index: 2)
        var previous: [Double]?
        for k in [1, 3, 7] {
            let fit = try IndividualFit.map(try TwinObjective(model: Synthetic.model, observations: Array(all.prefix(k))))
            let totalVariance = fit.standardDeviations.reduce(0) { $0 + $1 * $1 }
            if let previous { #expect(totalVariance < previous[0]) }
            previous = [totalVariance]
        }
    }

    @Test func unknownObservableAndMissingSDAreDataErrors() throws {
        #expect(throws: TwinError.self) {
            try TwinObjective(model: Synthetic.model, observations: [PatientObservation(time: 1, observable: "nope", value: 1)])
        }
        var noError = Synthetic.prior
        noError.errors = []
        #expect(throws: TwinError.self) {
            try TwinObjective(model: try PatientModel(prior: noError), observations: [PatientObservation(time: 1, observable: "log10_titre", value: 1)])
        }
    }
}

@Suite struct SensitivityJacobianTests {
    @Test func sensitivityJacobianMatchesFiniteDifferences() throws {
        #expect(Synthetic.model.sensitivities != nil)
        let data = try Synthetic.observations(truth: Synthetic.truth(12, seed: 4), times: [0.5, 1, 2, 3, 4], seed: 4, index: 12)
        // tight simulations: the finite differences below divide the solver error by a 1e-4·SD step
        let objective = try TwinObjective(model: Synthetic.model, observations: data,
                                          options: SolverOptions(relativeTolerance: 1e-11, absoluteTolerance: 1e-13))
        let x = Synthetic.model.priorMean.map { $0 - 0.05 }
        let exact = try #require(objective.sensitivityJacobian(at: x))
        // the finite-difference path: a model without a sensitivity compilation
        let p = x.count, m = data.count
        for i in 0..<p {
            let h = 1e-4 * Synthetic.prior.parameters[i].sd
            var xp = x, xm = x
            xp[i] += h
            xm[i] -= h
            let hp = try #require(objective.predictions(at: xp)), hm = try #require(objective.predictions(at: xm))
            for j in 0..<m {
                let fd = -(hp[j] - hm[j]) / (2 * h) / 0.3
                // FD truncation O(h²) and simulation noise rtol/h ≈ 1e-10/1e-5 relative: 1e-4 covers both
                #expect(abs(exact[j * p + i] - fd) <= 1e-4 * max(1, abs(fd)), "d r\(j)/d \(objective.parameterNames[i]): \(exact[j * p + i]) vs \(fd)")
            }
        }
    }
}
