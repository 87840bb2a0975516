import Foundation
import Testing
@testable import Inference

/// The pieces of `ReflectiveTrustRegion`'s step: the Coleman–Li scaling, the trust-region subproblem and the
/// choice among cut, reflected and Cauchy steps.
@Suite struct ReflectiveStepTests {
    let box = BoxBounds(ShiftedSphere(centre: [0, 0], lower: [-1, -1], upper: [1, 1]))

    @Test func scalingIsTheDistanceToTheBoundTheGradientPushesTowards() {
        let s = ColemanLiScaling(x: [0.5, -0.25], gradient: [-2, 3], box: box)
        #expect(s.v == [0.5, 0.75] && s.dv == [-1, 1])
        #expect(s.optimality([-2, 3]) == 2.25)
        let flat = ColemanLiScaling(x: [0.5, -0.25], gradient: [0, 0], box: box)
        #expect(flat.v == [1, 1] && flat.dv == [0, 0])
    }

    @Test func strictlyInteriorMovesPointsOffTheBounds() {
        let y = box.strictlyInterior([-1, 3], relativeStep: 1e-10)
        let expected: [Double] = [-1 + 1e-10, 1 - 1e-10]
        #expect(y == expected)
        let z = box.strictlyInterior([1, -0.5], relativeStep: 0)
        #expect(z == [(1.0).nextDown, -0.5])
    }

    /// An unscaled problem (v = 1: zero gradient components would give v = 1, so use a model built directly)
    /// with Hessian diag(1, 4) and gradient (−2, −4): the Newton step (2, 1) has length √5.
    func model(gradient: [Double] = [-2, -4]) -> ScaledQuadraticModel {
        var scaling = ColemanLiScaling(x: [0, 0], gradient: [0, 0], box: box)
        scaling.v = [1, 1]
        return ScaledQuadraticModel(gaussNewton: [1, 0, 0, 4], gradient: gradient, scaling: scaling, residualCount: 2)
    }

    @Test func newtonStepWhenItFitsAndBoundaryStepOtherwise() {
        let m = model()
        let (inside, alpha0) = m.trustRegionStep(radius: 3, initialAlpha: 0)
        #expect(alpha0 == 0)
        #expect(abs(inside[0] - 2) <= 1e-14 && abs(inside[1] - 1) <= 1e-14)
        // Radius 1: the step is −(H + αI)⁻¹g with ‖s‖ = 1 exactly (scaled to the radius) and α > 0 from Moré's
        // iteration to 1 %, so the step is parallel to (2/(1+α), 4/(4+α)) up to that accuracy.
        let (boundary, alpha) = m.trustRegionStep(radius: 1, initialAlpha: 0)
        #expect(alpha > 0)
        #expect(abs(euclideanNorm(boundary) - 1) <= 1e-14)
        let direction = [2 / (1 + alpha), 4 / (4 + alpha)]
        let cosine = dot(direction, boundary) / euclideanNorm(direction)
        #expect(cosine >= 1 - 1e-12)
    }

    @Test func aStepLeavingTheBoxIsReplacedByOneStrictlyInside() {
        // From x = (0.9, 0), the Newton step (2, 1) leaves the box through x₀ = 1.
        let m = model()
        let (s, _) = m.trustRegionStep(radius: 3, initialAlpha: 0)
        let chosen = m.selectStep(x: [0.9, 0], stepH: s, radius: 3, box: box, theta: 0.995)
        let trial = [0.9 + chosen.step[0], chosen.step[1]]
        #expect(trial[0] < 1 && trial[0] > -1 && trial[1] < 1 && trial[1] > -1, "\(trial)")
        #expect(chosen.predicted > 0)
        // Predicted decrease is the model's: −(gᵀs + ½ sᵀHs).
        let expected = -(m.gradient[0] * chosen.stepH[0] + m.gradient[1] * chosen.stepH[1]
                         + 0.5 * (chosen.stepH[0] * chosen.stepH[0] + 4 * chosen.stepH[1] * chosen.stepH[1]))
        #expect(abs(chosen.predicted - expected) <= 1e-14)
        // The chosen candidate is at least as good as the cut step (0.995 of the way to x₀ = 1).
        #expect(chosen.predicted >= -m.value([0.995 * 0.1, 0.995 * 0.05]))
    }

    /// With a secant term the model may be indefinite: Hessian diag(1, −2), gradient (−1, −0.5). The minimiser
    /// on the circle ‖s‖ = r (found here by sampling 200,000 angles) is the subproblem's solution; the step
    /// must reach the boundary (no interior minimum exists) and agree with it to Moré's 1 % on ‖s‖ (then
    /// scaled to r), i.e. its model value within 2 % of the sampled minimum's.
    @Test(arguments: [0.3, 1.0, 4.0])
    func indefiniteModelStepMinimisesOnTheTrustRegionBoundary(radius: Double) {
        var scaling = ColemanLiScaling(x: [0, 0], gradient: [0, 0], box: box)
        scaling.v = [1, 1]
        let m = ScaledQuadraticModel(gaussNewton: [1, 0, 0, -2], gradient: [-1, -0.5], scaling: scaling,
                                     residualCount: 2, indefinite: true)
        #expect(!m.fullRank)
        let (step, alpha) = m.trustRegionStep(radius: radius, initialAlpha: 0)
        #expect(alpha > 0)
        let length = euclideanNorm(step)
        #expect(abs(length - radius) <= 1e-12 * radius)
        var best = Double.infinity
        for k in 0..<200_000 {
            let angle = 2 * Double.pi * Double(k) / 200_000
            best = min(best, m.value([radius * cos(angle), radius * sin(angle)]))
        }
        #expect(best < 0)
        let stepValue = m.value(step), bound = 0.98 * best
        #expect(stepValue <= bound)
        // the Gauss–Newton form (clamped eigenvalues) of the same matrix would ignore the negative curvature
        let clamped = ScaledQuadraticModel(gaussNewton: [1, 0, 0, -2], gradient: [-1, -0.5], scaling: scaling,
                                           residualCount: 2)
        #expect(clamped.shiftedValues == [1, 0])
    }

    @Test func quadraticMinimumOnAnInterval() {
        #expect(ScaledQuadraticModel.minimiseQuadratic(1, -2, 0, 0, 3) == (1, -1))
        #expect(ScaledQuadraticModel.minimiseQuadratic(1, -2, 0, 2, 3) == (2, 0))
        #expect(ScaledQuadraticModel.minimiseQuadratic(-1, 0, 1, -1, 2) == (2, -3))
        #expect(abs(ScaledQuadraticModel.exitFromBall([0.5, 0], [1, 0], 1) - 0.5) <= 1e-15)
    }
}
