import Foundation

/// PI step-size control (Hairer's DOPRI5 controller for the explicit method; the classical controller
/// 0.9 err^(-1/(q+1)) with the embedded order q for the Rosenbrock methods: 1/4 for RODAS4, 1/5 for Rodas5P).
/// The powers go through `ControllerMath`'s four-lane log2/exp2: the batched lanes compute the next step sizes
/// of all their steps in one vector pass (`dormandPrinceNextSteps`, `rodas5pNextSteps`), the scalar path the
/// same functions for one value, so both paths' step sequences agree bit for bit.
struct StepController {
    /// log2 1e-4: the smallest previous error the DOPRI5 controller remembers (its `facold` floor).
    static let logErrorFloor = -13.287712379549449
    /// log2 of the last accepted step's error norm, at least `logErrorFloor` (DOPRI5's `facold`, kept as a
    /// logarithm so an accepted step costs one logarithm and one exponential instead of two powers).
    var previousLogError = StepController.logErrorFloor

    @inline(__always)
    mutating func accepted(_ h: Double, _ err: Double, _ method: StepMethod) -> Double {
        switch method {
        case .rodas4:
            // 0.9 err^(-1/4), as two square roots
            let factor = err == 0 ? 6 : min(6, max(0.2, 0.9 / err.squareRoot().squareRoot()))
            return h * factor
        case .rodas5p:
            return h * Self.rodas5pFactors(SIMD4(repeating: err))[0]
        case .dormandPrince:
            let (divisor, logError) = Self.dormandPrinceDivisors(SIMD4(repeating: err), SIMD4(repeating: previousLogError))
            previousLogError = logError[0]
            return h / divisor[0]
        }
    }

    @inline(__always)
    func rejected(_ h: Double, _ err: Double, _ method: StepMethod) -> Double {
        guard err.isFinite else { return h * 0.1 }
        let factor = method == .rodas4 ? max(0.1, 0.9 / err.squareRoot().squareRoot()) : max(0.1, 0.9 * Self.fifthRootReciprocal(err))
        return h * min(factor, 0.9)
    }

    /// DOPRI5's divisor of an accepted step's size, fac = err^(0.2 − 0.75 β) / previous^β / 0.9 limited to
    /// [0.1, 5] (β = 0.04; h_new = h / fac), and log2 of the error norm to remember (at least `logErrorFloor`),
    /// for four steps: their error norms (≤ 1) and their previous log errors.
    @inline(__always)
    static func dormandPrinceDivisors(_ err: SIMD4<Double>, _ previousLogError: SIMD4<Double>)
        -> (divisor: SIMD4<Double>, logError: SIMD4<Double>) {
        let beta = 0.04, expo = 0.2 - beta * 0.75
        let logError = ControllerMath.log2(ControllerMath.clamp(err, 1e-16, 1e16))
        let fac = ControllerMath.exp2(expo * logError - beta * previousLogError) / 0.9
        return (ControllerMath.clamp(fac, 0.1, 5), ControllerMath.clamp(logError, logErrorFloor, .infinity))
    }

    /// err^(-1/5) for four error norms clamped to [1e-16, 1e16] (beyond it the factors are at their limits anyway).
    @inline(__always)
    static func fifthRootReciprocals(_ err: SIMD4<Double>) -> SIMD4<Double> {
        ControllerMath.exp2(-0.2 * ControllerMath.log2(ControllerMath.clamp(err, 1e-16, 1e16)))
    }

    /// Rodas5P's factor of an accepted step's size, 0.9 err^(-1/5) limited to [0.2, 6], for four error norms.
    @inline(__always)
    static func rodas5pFactors(_ err: SIMD4<Double>) -> SIMD4<Double> {
        ControllerMath.clamp(0.9 * fifthRootReciprocals(err), 0.2, 6)
    }

    /// err^(-1/5) for the Rodas5P and rejection factors (one lane of `fifthRootReciprocals`).
    @inline(__always)
    static func fifthRootReciprocal(_ err: Double) -> Double {
        fifthRootReciprocals(SIMD4(repeating: err))[0]
    }

    /// For `count` (a multiple of 4) lanes with step sizes `steps`, error norms `errors` and previous log errors:
    /// the step size after each step if it is accepted (`accepted(_:_:.dormandPrince)`, h / divisor) into
    /// `nextSteps`, and the log error it remembers then into `logErrors`.
    @inline(__always)
    static func dormandPrinceNextSteps(_ count: Int, steps: UnsafeMutablePointer<Double>, errors: UnsafeMutablePointer<Double>,
                                       previousLogErrors: UnsafeMutablePointer<Double>,
                                       nextSteps: UnsafeMutablePointer<Double>, logErrors: UnsafeMutablePointer<Double>) {
        for j in stride(from: 0, to: count, by: 4) {
            let (divisor, logError) = dormandPrinceDivisors(errors.lanes(j), previousLogErrors.lanes(j))
            nextSteps.setLanes(j, steps.lanes(j) / divisor)
            logErrors.setLanes(j, logError)
        }
    }

    /// For `count` (a multiple of 4) lanes: the step size after each Rodas5P step if it is accepted
    /// (`accepted(_:_:.rodas5p)`) into `nextSteps`.
    @inline(__always)
    static func rodas5pNextSteps(_ count: Int, steps: UnsafeMutablePointer<Double>, errors: UnsafeMutablePointer<Double>,
                                 nextSteps: UnsafeMutablePointer<Double>) {
        for j in stride(from: 0, to: count, by: 4) {
            nextSteps.setLanes(j, steps.lanes(j) * rodas5pFactors(errors.lanes(j)))
        }
    }
}
