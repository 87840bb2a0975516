import Foundation

extension BatchIntegrator {
    /// One RODAS4 step in every Rosenbrock lane (slots `lanes..<slots`), with the operations of
    /// `Integrator.rodasStep` in the same order, so each lane's result is bit for bit the scalar one.
    ///
    /// The right-hand side at each stage, and f(t, y), the Jacobian and df/dt after an accepted step, are one
    /// batched pass over all Rosenbrock lanes each. The iteration matrix and its LU (`luFactor`) are per lane;
    /// the factors are then stored structure-of-arrays, and the stage combinations and substitutions run over
    /// all lanes at once (`solveLanes`: `luSolve`'s operations per lane, vectorisable across lanes). Stage
    /// vectors are structure-of-arrays too (component i of Rosenbrock lane j at `v[i * lanes + j]`). Leaves
    /// the candidate in `yNew`, the dense-output terms in `dense1`, `dense2` and the scaled RMS error in `error`
    /// (`.infinity` where the iteration matrix is singular, whose lane's `yNew` is left alone, as on the scalar
    /// path). Per-lane statistics count what the scalar step counts. Allocation-free.
    func rosenbrockStep(_ relativeTolerance: Double) {
        typealias T = Rodas4Tableau
        let lanes = self.lanes, slots = self.slots, n = self.n, nn = n * n
        let regs = stiffRegisters
        var busyCount = 0, anyStale = false
        for j in 0..<lanes where mode[lanes + j] == .rosenbrock {
            busyLanes[busyCount] = j
            busyCount += 1
            if stale[j] { anyStale = true }
        }
        // f(t, y), J and df/dt where the last step was accepted (the scalar path evaluates them then)
        if anyStale {
            for j in 0..<lanes { regs[j] = t[lanes + j] }
            for i in 0..<n { (regs + (1 + i) * lanes).update(from: y + i * slots + lanes, count: lanes) }
            rhs.runBatch(regs, lanes: lanes)
            for i in 0..<n {
                let source = regs + Int(rhsResults[i]) * lanes, target = k1 + i * slots + lanes
                for j in 0..<lanes where stale[j] { target[j] = source[j] + 0 }
            }
            model.jacobian.runBatch(regs, lanes: lanes)
            let entries = model.jacobian.results.count
            for b in 0..<busyCount where stale[busyLanes[b]] {
                let j = busyLanes[b], out = jac + j * nn
                out.update(repeating: 0, count: nn)
                for k in 0..<entries { out[Int(jacobianPositions[k])] = regs[Int(jacobianResults[k]) * lanes + j] }
                statistics[lanes + j].jacobianEvaluations += 1
            }
            if let program = model.timeDerivative {
                program.runBatch(regs, lanes: lanes)
                program.results.withUnsafeBufferPointer { results in
                    for i in 0..<n {
                        let source = regs + Int(results[i]) * lanes, target = dfdt + i * lanes
                        for j in 0..<lanes where stale[j] { target[j] = source[j] }
                    }
                }
            } else {
                for i in 0..<n {
                    for j in 0..<lanes where stale[j] { dfdt[i * lanes + j] = 0 }
                }
            }
            for j in 0..<lanes { stale[j] = false }
        }
        // iteration matrices I/(hγ) − J and their LU, per lane; the factors go structure-of-arrays
        let hs = h + lanes, invH = laneScratch
        var factoredCount = 0
        for b in 0..<busyCount {
            let j = busyLanes[b], l = lanes + j, hl = h[l]
            let diagonal = 1 / (hl * T.gamma)
            let a = lu + j * nn, J = jac + j * nn, p = pivots + j * n
            for i in 0..<nn { a[i] = -J[i] }
            for i in 0..<n { a[i * n + i] += diagonal }
            guard luFactor(a, n, p) else {
                error[l] = .infinity
                continue
            }
            factoredLanes[factoredCount] = j
            factoredCount += 1
            statistics[l].factorizations += 1
            statistics[l].rhsEvaluations += 5
            for e in 0..<nn { luLanes[e * lanes + j] = a[e] }
        }
        for j in 0..<lanes { invH[j] = 1 / hs[j] }
        // stage 1: k1 holds f(t, y)
        let y = self.y + lanes, k1 = self.k1 + lanes
        for i in 0..<n {
            let x = s1 + i * lanes, f = dfdt + i * lanes, fi = k1 + i * slots
            for j in 0..<lanes { x[j] = fi[j] + hs[j] * T.d1 * f[j] }
        }
        solveLanes(s1, factoredCount)
        for i in 0..<n {
            let x = s1 + i * lanes, yi = y + i * slots, u = stageState + i * lanes
            for j in 0..<lanes { u[j] = yi[j] + T.a21 * x[j] }
        }
        /// Stage `s`: s = f(t + c h, stageState) + combination(k, j) (k = i · lanes + j), solved in place.
        @inline(__always) func stage(_ c: Double, _ s: UnsafeMutablePointer<Double>,
                                     _ combine: (_ k: Int, _ j: Int) -> Double) {
            evaluateStiffRHS(c, stageState, s)
            for i in 0..<n {
                for j in 0..<lanes {
                    let k = i * lanes + j
                    s[k] += combine(k, j)
                }
            }
            solveLanes(s, factoredCount)
        }
        /// stageState = combination(y, k) for every component and lane (y of the component and lane).
        @inline(__always) func advance(_ combine: (_ y: Double, _ k: Int) -> Double) {
            for i in 0..<n {
                let yi = y + i * slots
                for j in 0..<lanes {
                    let k = i * lanes + j
                    stageState[k] = combine(yi[j], k)
                }
            }
        }
        stage(T.c2, s2) { k, j in hs[j] * T.d2 * dfdt[k] + invH[j] * T.C21 * s1[k] }
        advance { y, k in y + T.a31 * s1[k] + T.a32 * s2[k] }
        stage(T.c3, s3) { k, j in hs[j] * T.d3 * dfdt[k] + invH[j] * (T.C31 * s1[k] + T.C32 * s2[k]) }
        advance { y, k in y + T.a41 * s1[k] + T.a42 * s2[k] + T.a43 * s3[k] }
        stage(T.c4, s4) { k, j in hs[j] * T.d4 * dfdt[k] + invH[j] * (T.C41 * s1[k] + T.C42 * s2[k] + T.C43 * s3[k]) }
        advance { y, k in y + T.a51 * s1[k] + T.a52 * s2[k] + T.a53 * s3[k] + T.a54 * s4[k] }
        stage(1, s5) { k, j in invH[j] * (T.C51 * s1[k] + T.C52 * s2[k] + T.C53 * s3[k] + T.C54 * s4[k]) }
        for k in 0..<(n * lanes) { stageState[k] += s5[k] }
        stage(1, s6) { k, j in
            invH[j] * (T.C61 * s1[k] + T.C62 * s2[k] + T.C63 * s3[k] + T.C64 * s4[k] + T.C65 * s5[k])
        }
        for b in 0..<factoredCount {
            let j = factoredLanes[b], l = lanes + j
            var sum = 0.0
            for i in 0..<n {
                let k = i * slots + l, q = i * lanes + j
                yNew[k] = stageState[q] + s6[q]
                let sk = absoluteTolerance[k] + relativeTolerance * max(abs(self.y[k]), abs(yNew[k]))
                let r = s6[q] / sk
                sum += r * r
            }
            for i in 0..<n {
                let k = i * slots + l, q = i * lanes + j
                dense1[k] = T.h21 * s1[q] + T.h22 * s2[q] + T.h23 * s3[q] + T.h24 * s4[q] + T.h25 * s5[q]
                dense2[k] = T.h31 * s1[q] + T.h32 * s2[q] + T.h33 * s3[q] + T.h34 * s4[q] + T.h35 * s5[q]
            }
            error[l] = (sum / Double(max(n, 1))).squareRoot()
        }
    }

    /// `luSolve` in every factored lane at once, on structure-of-arrays factors (`luLanes`) and right-hand
    /// sides (component i of lane j at `b[i * lanes + j]`). Row swaps are per lane; the eliminations run over
    /// all lanes, with a lane whose multiplier is zero left unchanged (`luSolve` skips it), so every lane gets
    /// exactly `luSolve`'s result. Lanes not factored compute values that are never used.
    @inline(__always)
    private func solveLanes(_ b: UnsafeMutablePointer<Double>, _ factoredCount: Int) {
        let n = self.n, lanes = self.lanes, a = luLanes, bk = laneScratch + lanes
        for f in 0..<factoredCount {
            let j = factoredLanes[f], p = pivots + j * n
            for k in 0..<n {
                let q = Int(p[k])
                if q != k { swap(&b[k * lanes + j], &b[q * lanes + j]) }
            }
        }
        for k in 0..<n {
            let x = b + k * lanes
            var i = k + 1
            while i < n {
                eliminate(b + i * lanes, a + (i * n + k) * lanes, x, lanes)
                i += 1
            }
        }
        var k = n - 1
        while k >= 0 {
            let x = b + k * lanes, diagonal = a + (k * n + k) * lanes
            for j in 0..<lanes {
                bk[j] = x[j] * diagonal[j]
                x[j] = bk[j]
            }
            var i = 0
            while i < k {
                eliminate(b + i * lanes, a + (i * n + k) * lanes, bk, lanes)
                i += 1
            }
            k -= 1
        }
    }

    /// target[j] −= factor[j] · x[j] for every lane j where x[j] ≠ 0 (two lanes per vector operation; the
    /// same IEEE operations per lane as the scalar loop, so the results are bit for bit the same).
    @inline(__always)
    private func eliminate(_ target: UnsafeMutablePointer<Double>, _ factor: UnsafePointer<Double>,
                           _ x: UnsafePointer<Double>, _ lanes: Int) {
        var j = 0
        while j + 2 <= lanes {
            let old = UnsafeRawPointer(target + j).loadUnaligned(as: SIMD2<Double>.self)
            let f = UnsafeRawPointer(factor + j).loadUnaligned(as: SIMD2<Double>.self)
            let v = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD2<Double>.self)
            let updated = (old - f * v).replacing(with: old, where: v .== 0)
            UnsafeMutableRawPointer(target + j).storeBytes(of: updated, as: SIMD2<Double>.self)
            j += 2
        }
        if j < lanes, x[j] != 0 { target[j] -= factor[j] * x[j] }
    }

    /// out = f(t + c h, state) for every Rosenbrock lane (structure-of-arrays vectors; plus the zero infusion rate).
    @inline(__always)
    private func evaluateStiffRHS(_ c: Double, _ state: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
        let lanes = self.lanes, n = self.n, regs = stiffRegisters
        for j in 0..<lanes { regs[j] = t[lanes + j] + c * h[lanes + j] }
        (regs + lanes).update(from: state, count: n * lanes)
        rhs.runBatch(regs, lanes: lanes)
        for i in 0..<n {
            let source = regs + Int(rhsResults[i]) * lanes, target = out + i * lanes
            for j in 0..<lanes { target[j] = source[j] + 0 }
        }
    }

    /// The RODAS4 continuous extension of Rosenbrock lane l's accepted step (`dense1`, `dense2` from the step).
    func storeRosenbrockDense(_ l: Int) {
        for i in 0..<n {
            let k = i * slots + l
            dense0[k] = y[k]
            dense3[k] = yNew[k]
        }
        denseT[l] = t[l]
        denseH[l] = h[l]
    }
}
