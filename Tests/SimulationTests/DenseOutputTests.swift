import Testing
@testable import Simulation

/// The continuous extensions return a component that did not change over the step exactly (a parameter that only
/// events assign): rounding it at each event location made a persistent trigger `abs(Q − R) > maxdiff` fire again
/// after its own assignment, in an endless cascade under the Rosenbrock methods (SBML cases 00962, 01589).
@Suite struct DenseOutputTests {
    static let values = [0.1, 37.44999999999786, 38.94999999999868, 76.40000000002632, 1.4900000000008333, 3.3e-7, -2.5e5]
    static let thetas = (1..<17).map { Double($0) / 17 }

    @Test func unchangedComponentsInterpolateExactly() {
        for y in Self.values {
            for theta in Self.thetas {
                let rest = 1 - theta
                #expect(StepMethod.rodas5pValue(theta, rest, y, 0, 0, y, 0) == y, "Rodas5P, y = \(y), θ = \(theta)")
                #expect(StepMethod.rodas4Value(theta, rest, y, 0, 0, y) == y, "RODAS4, y = \(y), θ = \(theta)")
                #expect(StepMethod.dormandPrinceValue(theta, rest, y, 0, 0, 0, 0) == y, "Dormand–Prince, y = \(y), θ = \(theta)")
            }
        }
    }

    @Test func endsAreTheStepEnds() {
        for (y0, y1) in [(1.0, 2.0), (0.3, -7.25), (1e-9, 3e5)] {
            #expect(StepMethod.rodas5pValue(0, 1, y0, 0.4, -0.2, y1, 0.1) == y0)
            #expect(StepMethod.rodas5pValue(1, 0, y0, 0.4, -0.2, y1, 0.1) == y1)
            #expect(StepMethod.rodas4Value(0, 1, y0, 0.4, -0.2, y1) == y0)
            #expect(StepMethod.rodas4Value(1, 0, y0, 0.4, -0.2, y1) == y1)
        }
    }
}
