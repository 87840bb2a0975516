import Foundation

/// The Dormand–Prince 5(4) step of the explicit lanes, its dense output and its stiffness indicator.
extension BatchIntegrator {
    /// dy = f(t + c h, state) for every explicit lane (plus the zero infusion rate, as on the scalar path);
    /// the copies in and out are one `SIMD16<Double>` per row for a 16-lane batch.
    @inline(__always)
    func evaluateRHS(_ c: Double, _ state: UnsafePointer<Double>, _ dy: UnsafeMutablePointer<Double>) {
        let lanes = self.lanes, slots = self.slots
        if lanes == 16 {
            typealias V = SIMD16<Double>
            let state = UnsafeMutablePointer(mutating: state)
            registers.setChunk(0, t.chunk(0, V.self) + c * h.chunk(0, V.self))
            for i in 0..<n { registers.setChunk((1 + i) * 16, state.chunk(i * slots, V.self)) }
            rhs.runBatch16(registers)
            for i in 0..<n { dy.setChunk(i * slots, registers.chunk(Int(rhsResults[i]) * 16, V.self) + 0) }
            return
        }
        for l in 0..<lanes { registers[l] = t[l] + c * h[l] }
        for i in 0..<n { (registers + (1 + i) * lanes).update(from: state + i * slots, count: lanes) }
        rhs.runBatch(registers, lanes: lanes)
        for i in 0..<n {
            let source = registers + Int(rhsResults[i]) * lanes, target = dy + i * slots
            for l in 0..<lanes { target[l] = source[l] + 0 }
        }
    }

    /// The stages of `Integrator.dormandPrinceStep` in every lane, with the same operations in the same order,
    /// one `SIMD16<Double>` operation per row for a 16-lane batch, else four lanes per `SIMD4<Double>` operation
    /// (the same IEEE operations per lane, so bit for bit the same).
    /// With `stiffnessTest` (method `auto`) it also leaves each lane's stiffness indicator in `stiffnessIndicator`.
    func step(stiffnessTest: Bool) {
        if lanes == 16 {
            dormandPrinceStep(SIMD16<Double>.self, stiffnessTest: stiffnessTest)
        } else {
            dormandPrinceStep(SIMD4<Double>.self, stiffnessTest: stiffnessTest)
        }
    }

    /// `step(stiffnessTest:)` on chunks of `V.scalarCount` lanes (`lanes` is a multiple of it).
    @inline(__always)
    func dormandPrinceStep<V: LaneChunk>(_: V.Type, stiffnessTest: Bool) {
        typealias T = DormandPrinceTableau
        let lanes = self.lanes, slots = self.slots, n = self.n, width = V.scalarCount
        let y = self.y, k1 = self.k1, k2 = self.k2, k3 = self.k3, k4 = self.k4, k5 = self.k5, k6 = self.k6
        let k7 = self.k7, h = self.h
        for i in 0..<n {
            var k = i * slots
            while k < i * slots + lanes {
                tmp.setChunk(k, y.chunk(k, V.self) + h.chunk(k - i * slots, V.self) * T.a21 * k1.chunk(k, V.self))
                k += width
            }
        }
        evaluateRHS(T.c2, tmp, k2)
        for i in 0..<n {
            var l = 0
            while l < lanes {
                let k = i * slots + l
                tmp.setChunk(k, y.chunk(k, V.self) + h.chunk(l, V.self) * (T.a31 * k1.chunk(k, V.self) + T.a32 * k2.chunk(k, V.self)))
                l += width
            }
        }
        evaluateRHS(T.c3, tmp, k3)
        for i in 0..<n {
            var l = 0
            while l < lanes {
                let k = i * slots + l
                let combination = T.a41 * k1.chunk(k, V.self) + T.a42 * k2.chunk(k, V.self) + T.a43 * k3.chunk(k, V.self)
                tmp.setChunk(k, y.chunk(k, V.self) + h.chunk(l, V.self) * combination)
                l += width
            }
        }
        evaluateRHS(T.c4, tmp, k4)
        for i in 0..<n {
            var l = 0
            while l < lanes {
                let k = i * slots + l
                let combination = T.a51 * k1.chunk(k, V.self) + T.a52 * k2.chunk(k, V.self) + T.a53 * k3.chunk(k, V.self) + T.a54 * k4.chunk(k, V.self)
                tmp.setChunk(k, y.chunk(k, V.self) + h.chunk(l, V.self) * combination)
                l += width
            }
        }
        evaluateRHS(T.c5, tmp, k5)
        for i in 0..<n {
            var l = 0
            while l < lanes {
                let k = i * slots + l
                let combination = T.a61 * k1.chunk(k, V.self) + T.a62 * k2.chunk(k, V.self) + T.a63 * k3.chunk(k, V.self) + T.a64 * k4.chunk(k, V.self)
                    + T.a65 * k5.chunk(k, V.self)
                stiffProbe.setChunk(k, y.chunk(k, V.self) + h.chunk(l, V.self) * combination)
                l += width
            }
        }
        evaluateRHS(1, stiffProbe, k6)
        for i in 0..<n {
            var l = 0
            while l < lanes {
                let k = i * slots + l
                let combination = T.a71 * k1.chunk(k, V.self) + T.a73 * k3.chunk(k, V.self) + T.a74 * k4.chunk(k, V.self) + T.a75 * k5.chunk(k, V.self)
                    + T.a76 * k6.chunk(k, V.self)
                yNew.setChunk(k, y.chunk(k, V.self) + h.chunk(l, V.self) * combination)
                l += width
            }
        }
        evaluateRHS(1, yNew, k7)
        let rtol = scalar.relativeTolerance, count = Double(max(n, 1))
        let zero = V(repeating: 0)
        var l = 0
        while l < lanes {
            var sum = zero, num = zero, den = zero, dot = zero
            let hl = h.chunk(l, V.self)
            for i in 0..<n {
                let k = i * slots + l
                let e = hl * (T.e1 * k1.chunk(k, V.self) + T.e3 * k3.chunk(k, V.self) + T.e4 * k4.chunk(k, V.self) + T.e5 * k5.chunk(k, V.self)
                                  + T.e6 * k6.chunk(k, V.self) + T.e7 * k7.chunk(k, V.self))
                let sk = absoluteTolerance.chunk(k, V.self) + rtol * y.chunk(k, V.self).magnitudes().maximum(yNew.chunk(k, V.self).magnitudes())
                let r = e / sk
                sum += r * r
                if stiffnessTest {
                    let dk = k7.chunk(k, V.self) - k6.chunk(k, V.self), dy = yNew.chunk(k, V.self) - stiffProbe.chunk(k, V.self)
                    num += dk * dk
                    den += dy * dy
                    dot += dk * dy
                }
            }
            error.setChunk(l, (sum / count).squareRoot())
            if stiffnessTest {
                // as `Integrator.stiffness()`: h·sqrt(num/den), 0 unless den > 0
                stiffnessIndicator.setChunk(l, zero.replacing(with: hl * (num / den).squareRoot(), where: den.positiveLanes()))
                stiffnessDirection.setChunk(l, dot)
            }
            l += width
        }
        storeDense(V.self)
    }

    /// The continuous extension of every explicit lane's step, as the scalar path's `dormandPrinceDense` (used
    /// only where the step is accepted), and the candidates' `largestState` and `stateMagnitudeSum` (a separate
    /// pass keeps the step's loops small enough for their vector loads to be inlined).
    @inline(never)
    func storeDense<V: LaneChunk>(_: V.Type) {
        typealias T = DormandPrinceTableau
        let lanes = self.lanes, slots = self.slots, n = self.n, width = V.scalarCount
        let y = self.y, yNew = self.yNew, k1 = self.k1, k3 = self.k3, k4 = self.k4, k5 = self.k5, k6 = self.k6
        let k7 = self.k7, h = self.h
        let dense0 = self.dense0, dense1 = self.dense1, dense2 = self.dense2, dense3 = self.dense3, dense4 = self.dense4
        var l = 0
        while l < lanes {
            let hl = h.chunk(l, V.self)
            var largest = V(repeating: 0), magnitudes = V(repeating: 0)
            for i in 0..<n {
                let k = i * slots + l
                let old = y.chunk(k, V.self), new = yNew.chunk(k, V.self), size = new.magnitudes()
                largest = largest.maximum(size)
                magnitudes += size
                let ydiff = new - old
                let bspl = hl * k1.chunk(k, V.self) - ydiff
                dense0.setChunk(k, old)
                dense1.setChunk(k, ydiff)
                dense2.setChunk(k, bspl)
                dense3.setChunk(k, ydiff - hl * k7.chunk(k, V.self) - bspl)
                dense4.setChunk(k, hl * (T.d1 * k1.chunk(k, V.self) + T.d3 * k3.chunk(k, V.self) + T.d4 * k4.chunk(k, V.self)
                                         + T.d5 * k5.chunk(k, V.self) + T.d6 * k6.chunk(k, V.self) + T.d7 * k7.chunk(k, V.self)))
            }
            largestState.setChunk(l, largest)
            stateMagnitudeSum.setChunk(l, magnitudes)
            denseT.setChunk(l, t.chunk(l, V.self))
            denseH.setChunk(l, hl)
            l += width
        }
    }

    /// Lane l's stiffness indicator of the last step (from `step(stiffnessTest: true)`).
    func stiffness(_ l: Int) -> Double { stiffnessIndicator[l] }

    /// Whether lane l's last step saw a damped mode: (f(y7) − f(y6)) · (y7 − y6) < 0 (from `step(stiffnessTest: true)`).
    func damped(_ l: Int) -> Bool { stiffnessDirection[l] < 0 }
}
