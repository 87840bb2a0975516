import Testing
@testable import Inference

@Suite struct ProfileLikelihoodTests {
    // ½ (x − μ)ᵀ A (x − μ): the profile of x_i is ½ (x_i − μ_i)² / Σ_ii with Σ = A⁻¹, so the 95 % interval is
    // μ_i ± sqrt(2 · 1.920729410347062 · Σ_ii). Values from numpy.linalg.inv and scipy.stats.chi2.ppf(0.95, 1)/2.
    let quadratic = Quadratic(mean: [1, -0.5, 2], precision: [4, 1, 0.5, 1, 2, 0.3, 0.5, 0.3, 1],
                              lower: [-5, -5, -5], upper: [5, 5, 5])
    let analyticLower = [-0.06738683251992672, -1.9956183715414793, -0.04340370904669433]
    let analyticUpper = [2.0673868325199267, 0.9956183715414793, 4.043403709046695]
    let inner = ProjectedQuasiNewton(options: OptimisationOptions(gradientTolerance: 1e-9))

    @Test func thresholdIsHalfTheChiSquareQuantile() throws {
        #expect(abs(ProfileOptions().threshold - 1.920729410347062) <= 1e-14)
    }

    @Test func quadraticProfilesGiveTheAnalyticInterval() throws {
        let options = ProfileOptions(crossingTolerance: 1e-6)
        let profiles = try ProfileLikelihood(options: options, threads: 2)
            .profileAll(quadratic, optimum: quadratic.mean, optimiser: inner)
        // The bracket of the crossing is within crossingTolerance · range (range 10); the inner optimisation's
        // error in the profile value (≈ ‖g‖²/λ ≈ 1e-18) is negligible.
        let tolerance = options.crossingTolerance * 10
        for (i, profile) in profiles.enumerated() {
            guard case .crossed(let low) = profile.lower, case .crossed(let high) = profile.upper else {
                Issue.record("parameter \(i) did not cross: \(profile.lower), \(profile.upper)")
                continue
            }
            #expect(abs(low - analyticLower[i]) <= tolerance, "q\(i) lower \(low) vs \(analyticLower[i])")
            #expect(abs(high - analyticUpper[i]) <= tolerance, "q\(i) upper \(high) vs \(analyticUpper[i])")
            #expect(profile.points.map(\.parameterValue) == profile.points.map(\.parameterValue).sorted())
            #expect(profile.lowestObjective >= -1e-12)
        }
    }

    @Test func aBoundBeforeTheThresholdLeavesTheSideOpen() throws {
        let bounded = Quadratic(mean: quadratic.mean, precision: quadratic.precision,
                                lower: [0.9, -5, -5], upper: [5, 5, 5])
        let profile = try ProfileLikelihood(threads: 1).profile(bounded, parameter: 0, optimum: bounded.mean,
                                                            optimumValue: 0, optimiser: inner)
        #expect(profile.lower == .boundReached(0.9))
        guard case .crossed(let high) = profile.upper else {
            Issue.record("upper side did not cross: \(profile.upper)")
            return
        }
        #expect(abs(high - analyticUpper[0]) <= ProfileOptions().crossingTolerance * 4.1 + 1e-12)
    }

    @Test func oneParameterProblemsNeedNoInnerOptimisation() throws {
        let line = Quadratic(mean: [0], precision: [2], lower: [-10], upper: [10])
        let profile = try ProfileLikelihood(threads: 1).profile(line, parameter: 0, optimum: [0], optimumValue: 0,
                                                            optimiser: inner)
        // ½ · 2 · t² = 1.9207… at t = ±sqrt(1.9207…).
        let expected = 1.920729410347062.squareRoot()
        #expect(abs(profile.confidenceInterval.lowerBound + expected) <= ProfileOptions().crossingTolerance * 20)
        #expect(abs(profile.confidenceInterval.upperBound - expected) <= ProfileOptions().crossingTolerance * 20)
    }
}
