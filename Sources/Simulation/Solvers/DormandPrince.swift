/// Dormand–Prince 5(4) coefficients with Shampine's dense output (Hairer, Nørsett & Wanner, *Solving
/// Ordinary Differential Equations I*, 2nd ed., 1993, Table 5.2 and code DOPRI5; doi:10.1007/978-3-540-78862-1).
/// Order 5 with an embedded order-4 error estimate, FSAL, 4th-order continuous extension.
enum DormandPrinceTableau {
    static let c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9
    static let a21 = 1.0 / 5
    static let a31 = 3.0 / 40, a32 = 9.0 / 40
    static let a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9
    static let a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561, a54 = -212.0 / 729
    static let a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176, a65 = -5103.0 / 18656
    static let a71 = 35.0 / 384, a73 = 500.0 / 1113, a74 = 125.0 / 192, a75 = -2187.0 / 6784, a76 = 11.0 / 84
    static let e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200, e6 = 22.0 / 525, e7 = -1.0 / 40
    static let d1 = -12715105075.0 / 11282082432, d3 = 87487479700.0 / 32700410799, d4 = -10690763975.0 / 1880347072
    static let d5 = 701980252875.0 / 199316789632, d6 = -1453857185.0 / 822651844, d7 = 69997945.0 / 29380423
}

extension Integrator {
    /// One Dormand–Prince step of size `h` from (t, y) with k1 = f(t, y) already in `k1`.
    /// Leaves the candidate in `yNew`, f(t+h, yNew) in `k7`, and returns the scaled RMS error estimate.
    @inline(__always)
    func dormandPrinceStep(_ h: Double) -> Double {
        typealias T = DormandPrinceTableau
        let n = self.n
        for i in 0..<n { tmp[i] = y[i] + h * T.a21 * k1[i] }
        evaluateRHS(t + T.c2 * h, tmp, k2)
        for i in 0..<n { tmp[i] = y[i] + h * (T.a31 * k1[i] + T.a32 * k2[i]) }
        evaluateRHS(t + T.c3 * h, tmp, k3)
        for i in 0..<n { tmp[i] = y[i] + h * (T.a41 * k1[i] + T.a42 * k2[i] + T.a43 * k3[i]) }
        evaluateRHS(t + T.c4 * h, tmp, k4)
        for i in 0..<n { tmp[i] = y[i] + h * (T.a51 * k1[i] + T.a52 * k2[i] + T.a53 * k3[i] + T.a54 * k4[i]) }
        evaluateRHS(t + T.c5 * h, tmp, k5)
        for i in 0..<n {
            stiffProbe[i] = y[i] + h * (T.a61 * k1[i] + T.a62 * k2[i] + T.a63 * k3[i] + T.a64 * k4[i] + T.a65 * k5[i])
        }
        evaluateRHS(t + h, stiffProbe, k6)
        for i in 0..<n {
            yNew[i] = y[i] + h * (T.a71 * k1[i] + T.a73 * k3[i] + T.a74 * k4[i] + T.a75 * k5[i] + T.a76 * k6[i])
        }
        evaluateRHS(t + h, yNew, k7)
        var sum = 0.0
        for i in 0..<n {
            let e = h * (T.e1 * k1[i] + T.e3 * k3[i] + T.e4 * k4[i] + T.e5 * k5[i] + T.e6 * k6[i] + T.e7 * k7[i])
            let sk = absoluteTolerance[i] + relativeTolerance * max(abs(y[i]), abs(yNew[i]))
            let r = e / sk
            sum += r * r
        }
        return (sum / Double(max(n, 1))).squareRoot()
    }

    /// Stores Shampine's continuous extension of the accepted step [t, t+h] in `dense0...dense4`.
    @inline(__always)
    func dormandPrinceDense(_ h: Double) {
        typealias T = DormandPrinceTableau
        for i in 0..<n {
            let ydiff = yNew[i] - y[i]
            let bspl = h * k1[i] - ydiff
            dense0[i] = y[i]
            dense1[i] = ydiff
            dense2[i] = bspl
            dense3[i] = ydiff - h * k7[i] - bspl
            dense4[i] = h * (T.d1 * k1[i] + T.d3 * k3[i] + T.d4 * k4[i] + T.d5 * k5[i] + T.d6 * k6[i] + T.d7 * k7[i])
        }
    }

    /// Hairer's stiffness indicator h·|f(y7) − f(y6)| / |y7 − y6| for the last step (> 3.25 suggests stiffness),
    /// and whether the mode it measures is damped: (f(y7) − f(y6)) · (y7 − y6) < 0 (a growing mode, as near a
    /// finite-time blow-up, is no stiffness).
    @inline(__always)
    func dormandPrinceStiffness(_ h: Double) -> (measure: Double, damped: Bool) {
        var num = 0.0, den = 0.0, dot = 0.0
        for i in 0..<n {
            let dk = k7[i] - k6[i], dy = yNew[i] - stiffProbe[i]
            num += dk * dk
            den += dy * dy
            dot += dk * dy
        }
        return (den > 0 ? h * (num / den).squareRoot() : 0, dot < 0)
    }
}
