import Foundation

/// PI step-size control (Hairer's DOPRI5 controller for the explicit method; the classical controller
/// 0.9 err^(-1/(q+1)) with the embedded order q for the Rosenbrock methods: 1/4 for RODAS4, 1/5 for Rodas5P).
/// The scalar and the batched paths share this type, so their step sequences agree bit for bit. (Pure-arithmetic
/// logarithms and exponentials were tried here: fewer instructions, but their long dependency chains made the
/// batched lanes' round loop slower than libm's `log2`, `exp2` and `pow`.)
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
            return h * min(6, max(0.2, 0.9 * Self.fifthRootReciprocal(err)))
        case .dormandPrince:
            break
        }
        // h / fac with fac = err^(0.2 - 0.75 beta) / previous^beta / 0.9, limited to [0.1, 5]
        let beta = 0.04, expo = 0.2 - beta * 0.75
        let logError = Foundation.log2(max(err, 1e-16))
        var fac = Foundation.exp2(expo * logError - beta * previousLogError)
        fac = max(1.0 / 10, min(1 / 0.2, fac / 0.9))
        previousLogError = max(logError, Self.logErrorFloor)
        return h / fac
    }

    func rejected(_ h: Double, _ err: Double, _ method: StepMethod) -> Double {
        guard err.isFinite else { return h * 0.1 }
        let factor = method == .rodas4 ? max(0.1, 0.9 / err.squareRoot().squareRoot()) : max(0.1, 0.9 * Self.fifthRootReciprocal(err))
        return h * min(factor, 0.9)
    }

    /// err^(-1/5) for the Rodas5P and rejection factors, with err clamped to [1e-16, 1e16] (beyond it the
    /// factors are at their limits anyway); +infinity-free for err = 0.
    @inline(__always)
    static func fifthRootReciprocal(_ err: Double) -> Double {
        pow(min(max(err, 1e-16), 1e16), -0.2)
    }
}
