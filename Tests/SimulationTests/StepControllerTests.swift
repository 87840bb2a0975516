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

    /// The batched lanes' vector pass gives each lane what the scalar controller gives that lane alone.
    @Test func vectorPassesGiveTheScalarStepSizes() {
        let errors: [Double] = [0.3, 1e-6, 0.99, 0, 0.05, 1e-300, 0.7, 1]
        let previous: [Double] = [-13.3, -2, -0.5, -20, -7.25, -13.287712379549449, -1, 0]
        let steps: [Double] = [0.1, 2.5, 1e-7, 3, 0.25, 1e3, 0.01, 7]
        var e = errors, p = previous, h = steps
        var next = [Double](repeating: 0, count: 8), logs = [Double](repeating: 0, count: 8), rodas = next
        StepController.dormandPrinceNextSteps(8, steps: &h, errors: &e, previousLogErrors: &p, nextSteps: &next, logErrors: &logs)
        StepController.rodas5pNextSteps(8, steps: &h, errors: &e, nextSteps: &rodas)
        for l in 0..<8 {
            var controller = StepController()
            controller.previousLogError = previous[l]
            #expect(controller.accepted(steps[l], errors[l], .dormandPrince).bitPattern == next[l].bitPattern, "lane \(l)")
            #expect(controller.previousLogError.bitPattern == logs[l].bitPattern, "lane \(l)")
            #expect(controller.accepted(steps[l], errors[l], .rodas5p).bitPattern == rodas[l].bitPattern, "lane \(l)")
        }
    }
}
