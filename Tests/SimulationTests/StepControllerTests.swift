import Foundation
import Testing
@testable import Simulation

/// The step-size controllers' factors (powers of the error norm through base-2 logarithms and clamped error
/// norms) must be the classical formulas' within their limits.
@Suite struct StepControllerTests {
    @Test func rosenbrockFactorsFollowTheClassicalControllerWithinTheirLimits() {
        var controller = StepController()
        for err in [1e-300, 0, 1e-9, 1e-3, 0.1, 0.5, 1] {
            let expected = err == 0 ? 6 : min(6, max(0.2, 0.9 * pow(err, -0.2)))
            #expect(abs(controller.accepted(1, err, .rodas5p) - expected) <= 1e-12 * expected, "err \(err)")
        }
        for err in [1.0000001, 3, 1e3, 1e30, Double.greatestFiniteMagnitude] {
            let expected = min(0.9, max(0.1, 0.9 * pow(err, -0.2)))
            #expect(abs(controller.rejected(1, err, .rodas5p) - expected) <= 1e-12 * expected, "err \(err)")
        }
        #expect(controller.rejected(1, .nan, .rodas5p) == 0.1)
    }

    @Test func dormandPrinceFactorMatchesHairersController() {
        var controller = StepController()
        var previous = 1e-4
        for err in [0.3, 1e-6, 0.99, 0.0, 0.05] {
            let beta = 0.04
            let fac = max(0.1, min(5, pow(max(err, 1e-16), 0.2 - 0.75 * beta) / pow(previous, beta) / 0.9))
            #expect(abs(controller.accepted(1, err, .dormandPrince) - 1 / fac) <= 1e-11 / fac, "err \(err)")
            previous = max(max(err, 1e-16), 1e-4)
        }
    }
}
