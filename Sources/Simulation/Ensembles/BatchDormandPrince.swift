import Foundation

/// The Dormand–Prince 5(4) step of the explicit lanes, its dense output and its stiffness indicator.
extension BatchIntegrator {
    /// dy = f(t + c h, state) for every explicit lane (plus the zero infusion rate, as on the scalar path).
    @inline(__always)
    func evaluateRHS(_ c: Double, _ state: UnsafePointer<Double>, _ dy: UnsafeMutablePointer<Double>) {
        let lanes = self.lanes, slots = self.slots
        for l in 0..<lanes { registers[l] = t[l] + c * h[l] }
        for i in 0..<n { (registers + (1 + i) * lanes).update(from: state + i * slots, count: lanes) }
        rhs.runBatch(registers, lanes: lanes)
        for i in 0..<n {
            let source = registers + Int(rhsResults[i]) * lanes, target = dy + i * slots
            for l in 0..<lanes { target[l] = source[l] + 0 }
        }
    }
    /// The stages of `Integrator.dormandPrinceStep` in every lane, with the same operations in the same order,
    /// four lanes per `SIMD4<Double>` operation (the same IEEE operations per lane, so bit for bit the same).
    /// With `stiffnessTest` (method `auto`) it also leaves each lane's stiffness indicator in `stiffnessIndicator`.
    func step(stiffnessTest: Bool) {
        typealias T = DormandPrinceTableau
        typealias V = SIMD4<Double>
        let lanes = self.lanes, slots = self.slots, n = self.n
        let y = self.y, k1 = self.k1, k2 = self.k2, k3 = self.k3, k4 = self.k4, k5 = self.k5, k6 = self.k6
        let k7 = self.k7, h = self.h
        for i in 0..<n {
            var k = i * slots
            while k < i * slots + lanes {
                tmp.setLanes(k, y.lanes(k) + h.lanes(k - i * slots) * T.a21 * k1.lanes(k))
                k += 4
            }
        }
        evaluateRHS(T.c2, tmp, k2)
        for i in 0..<n {
            var l = 0
            while l < lanes {
                let k = i * slots + l
                tmp.setLanes(k, y.lanes(k) + h.lanes(l) * (T.a31 * k1.lanes(k) + T.a32 * k2.lanes(k)))
                l += 4
            }
        }
        evaluateRHS(T.c3, tmp, k3)
        for i in 0..<n {
            var l = 0
            while l < lanes {
                let k = i * slots + l
                let combination = T.a41 * k1.lanes(k) + T.a42 * k2.lanes(k) + T.a43 * k3.lanes(k)
                tmp.setLanes(k, y.lanes(k) + h.lanes(l) * combination)
                l += 4
            }
        }
        evaluateRHS(T.c4, tmp, k4)
        for i in 0..<n {
            var l = 0
            while l < lanes {
                let k = i * slots + l
                let combination = T.a51 * k1.lanes(k) + T.a52 * k2.lanes(k) + T.a53 * k3.lanes(k) + T.a54 * k4.lanes(k)
                tmp.setLanes(k, y.lanes(k) + h.lanes(l) * combination)
                l += 4
            }
        }
        evaluateRHS(T.c5, tmp, k5)
        for i in 0..<n {
            var l = 0
            while l < lanes {
                let k = i * slots + l
                let combination = T.a61 * k1.lanes(k) + T.a62 * k2.lanes(k) + T.a63 * k3.lanes(k) + T.a64 * k4.lanes(k)
                    + T.a65 * k5.lanes(k)
                stiffProbe.setLanes(k, y.lanes(k) + h.lanes(l) * combination)
                l += 4
            }
        }
        evaluateRHS(1, stiffProbe, k6)
        for i in 0..<n {
            var l = 0
            while l < lanes {
                let k = i * slots + l
                let combination = T.a71 * k1.lanes(k) + T.a73 * k3.lanes(k) + T.a74 * k4.lanes(k) + T.a75 * k5.lanes(k)
                    + T.a76 * k6.lanes(k)
                yNew.setLanes(k, y.lanes(k) + h.lanes(l) * combination)
                l += 4
            }
        }
        evaluateRHS(1, yNew, k7)
        let rtol = scalar.relativeTolerance, count = Double(max(n, 1))
        let zero = V(repeating: 0)
        var l = 0
        while l < lanes {
            var sum = zero, num = zero, den = zero
            let hl = h.lanes(l)
            for i in 0..<n {
                let k = i * slots + l
                let e = hl * (T.e1 * k1.lanes(k) + T.e3 * k3.lanes(k) + T.e4 * k4.lanes(k) + T.e5 * k5.lanes(k)
                                  + T.e6 * k6.lanes(k) + T.e7 * k7.lanes(k))
                let sk = absoluteTolerance.lanes(k) + rtol * maximum(magnitude(y.lanes(k)), magnitude(yNew.lanes(k)))
                let r = e / sk
                sum += r * r
                if stiffnessTest {
                    let dk = k7.lanes(k) - k6.lanes(k), dy = yNew.lanes(k) - stiffProbe.lanes(k)
                    num += dk * dk
                    den += dy * dy
                }
            }
            error.setLanes(l, (sum / count).squareRoot())
            if stiffnessTest {
                // as `Integrator.stiffness()`: h·sqrt(num/den), 0 unless den > 0
                stiffnessIndicator.setLanes(l, zero.replacing(with: hl * (num / den).squareRoot(), where: den .> 0))
            }
            l += 4
        }
    }

    func storeDense(_ l: Int) {
        typealias T = DormandPrinceTableau
        let hl = h[l]
        for i in 0..<n {
            let k = i * slots + l
            let ydiff = yNew[k] - y[k]
            let bspl = hl * k1[k] - ydiff
            dense0[k] = y[k]
            dense1[k] = ydiff
            dense2[k] = bspl
            dense3[k] = ydiff - hl * k7[k] - bspl
            dense4[k] = hl * (T.d1 * k1[k] + T.d3 * k3[k] + T.d4 * k4[k] + T.d5 * k5[k] + T.d6 * k6[k] + T.d7 * k7[k])
        }
        denseT[l] = t[l]
        denseH[l] = hl
    }

    /// Lane l's stiffness indicator of the last step (from `step(stiffnessTest: true)`).
    func stiffness(_ l: Int) -> Double { stiffnessIndicator[l] }
}
