import Foundation

extension BatchIntegrator {
    /// One RODAS4 step in every Rosenbrock lane (slots `lanes..<slots`), with the operations of
    /// `Integrator.rodasStep` in the same order, so each lane's result is bit for bit the scalar one.
    ///
    /// The right-hand side at each stage, and f(t, y), the Jacobian and df/dt after an accepted step, are one
    /// batched pass over all Rosenbrock lanes each; the iteration matrix, its LU (`luFactor`) and the stage
    /// solves (`luSolve`) are per lane. Leaves the candidate in `yNew`, the dense-output terms in `dense1`,
    /// `dense2` and the scaled RMS error in `error` (`.infinity` where the iteration matrix is singular).
    /// Per-lane statistics count what the scalar step counts. Allocation-free.
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
                    for j in 0..<lanes where stale[j] {
                        for i in 0..<n { dfdt[j * n + i] = regs[Int(results[i]) * lanes + j] }
                    }
                }
            } else {
                for j in 0..<lanes where stale[j] { (dfdt + j * n).update(repeating: 0, count: n) }
            }
            for j in 0..<lanes { stale[j] = false }
        }
        // iteration matrices I/(hγ) − J, their LU, and stage 1 (k1 holds f(t, y))
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
            let c = luColumns + j * nn
            for r in 0..<n {
                for k in 0..<n { c[k * n + r] = a[r * n + k] }
            }
            let x = s1 + j * n, f = dfdt + j * n
            for i in 0..<n { x[i] = k1[i * slots + l] + hl * T.d1 * f[i] }
            solveColumns(c, p, x)
            let u = stageState + j * n
            for i in 0..<n { u[i] = y[i * slots + l] + T.a21 * x[i] }
        }
        /// Stage `s` of every factored lane: s = f(t + c h, stageState) + combination, solved in place.
        @inline(__always) func stage(_ c: Double, _ s: UnsafeMutablePointer<Double>,
                                     _ combine: (_ j: Int, _ i: Int, _ h: Double, _ invH: Double) -> Double) {
            evaluateStiffRHS(c, stageState, s)
            for b in 0..<factoredCount {
                let j = factoredLanes[b], hl = h[lanes + j], invH = 1 / hl, x = s + j * n
                for i in 0..<n { x[i] += combine(j * n, i, hl, invH) }
                solveColumns(luColumns + j * nn, pivots + j * n, x)
            }
        }
        stage(T.c2, s2) { j, i, h, invH in h * T.d2 * dfdt[j + i] + invH * T.C21 * s1[j + i] }
        for b in 0..<factoredCount {
            let j = factoredLanes[b], l = lanes + j, u = stageState + j * n, q = j * n
            for i in 0..<n { u[i] = y[i * slots + l] + T.a31 * s1[q + i] + T.a32 * s2[q + i] }
        }
        stage(T.c3, s3) { j, i, h, invH in h * T.d3 * dfdt[j + i] + invH * (T.C31 * s1[j + i] + T.C32 * s2[j + i]) }
        for b in 0..<factoredCount {
            let j = factoredLanes[b], l = lanes + j, u = stageState + j * n, q = j * n
            for i in 0..<n { u[i] = y[i * slots + l] + T.a41 * s1[q + i] + T.a42 * s2[q + i] + T.a43 * s3[q + i] }
        }
        stage(T.c4, s4) { j, i, h, invH in
            h * T.d4 * dfdt[j + i] + invH * (T.C41 * s1[j + i] + T.C42 * s2[j + i] + T.C43 * s3[j + i])
        }
        for b in 0..<factoredCount {
            let j = factoredLanes[b], l = lanes + j, u = stageState + j * n, q = j * n
            for i in 0..<n {
                u[i] = y[i * slots + l] + T.a51 * s1[q + i] + T.a52 * s2[q + i] + T.a53 * s3[q + i] + T.a54 * s4[q + i]
            }
        }
        stage(1, s5) { j, i, _, invH in
            invH * (T.C51 * s1[j + i] + T.C52 * s2[j + i] + T.C53 * s3[j + i] + T.C54 * s4[j + i])
        }
        for b in 0..<factoredCount {
            let j = factoredLanes[b], u = stageState + j * n, q = j * n
            for i in 0..<n { u[i] += s5[q + i] }
        }
        stage(1, s6) { j, i, _, invH in
            invH * (T.C61 * s1[j + i] + T.C62 * s2[j + i] + T.C63 * s3[j + i] + T.C64 * s4[j + i] + T.C65 * s5[j + i])
        }
        for b in 0..<factoredCount {
            let j = factoredLanes[b], l = lanes + j, u = stageState + j * n, q = j * n
            var sum = 0.0
            for i in 0..<n {
                let k = i * slots + l
                yNew[k] = u[i] + s6[q + i]
                let sk = absoluteTolerance[k] + relativeTolerance * max(abs(y[k]), abs(yNew[k]))
                let r = s6[q + i] / sk
                sum += r * r
            }
            for i in 0..<n {
                let k = i * slots + l, x = q + i
                dense1[k] = T.h21 * s1[x] + T.h22 * s2[x] + T.h23 * s3[x] + T.h24 * s4[x] + T.h25 * s5[x]
                dense2[k] = T.h31 * s1[x] + T.h32 * s2[x] + T.h33 * s3[x] + T.h34 * s4[x] + T.h35 * s5[x]
            }
            error[l] = (sum / Double(max(n, 1))).squareRoot()
        }
    }

    /// `luSolve` with the factors stored column-major (`c[k * n + i]` = row i, column k): the same operations
    /// in the same order on every component, so the result is bit for bit `luSolve`'s; the column updates
    /// read contiguous memory.
    @inline(__always)
    private func solveColumns(_ c: UnsafePointer<Double>, _ pivots: UnsafePointer<Int32>, _ b: UnsafeMutablePointer<Double>) {
        let n = self.n
        for k in 0..<n {
            let p = Int(pivots[k])
            if p != k { swap(&b[k], &b[p]) }
        }
        for k in 0..<n {
            let bk = b[k]
            if bk == 0 { continue }
            let column = c + k * n
            var i = k + 1
            while i < n {
                b[i] -= column[i] * bk
                i += 1
            }
        }
        var k = n - 1
        while k >= 0 {
            let column = c + k * n
            let bk = b[k] * column[k]
            b[k] = bk
            if bk != 0 {
                var i = 0
                while i < k {
                    b[i] -= column[i] * bk
                    i += 1
                }
            }
            k -= 1
        }
    }

    /// out = f(t + c h, state) for every Rosenbrock lane (lane-major vectors; plus the zero infusion rate).
    @inline(__always)
    private func evaluateStiffRHS(_ c: Double, _ state: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
        let lanes = self.lanes, n = self.n, regs = stiffRegisters
        for j in 0..<lanes { regs[j] = t[lanes + j] + c * h[lanes + j] }
        for j in 0..<lanes {
            for i in 0..<n { regs[(1 + i) * lanes + j] = state[j * n + i] }
        }
        rhs.runBatch(regs, lanes: lanes)
        for i in 0..<n {
            let source = regs + Int(rhsResults[i]) * lanes
            for j in 0..<lanes { out[j * n + i] = source[j] + 0 }
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
