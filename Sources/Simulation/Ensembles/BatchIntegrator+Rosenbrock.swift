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
        @inline(__always) func busy(_ j: Int) -> Bool { mode[lanes + j] == .rosenbrock }
        // f(t, y), J and df/dt where the last step was accepted (the scalar path evaluates them then)
        var anyStale = false
        for j in 0..<lanes where busy(j) && stale[j] { anyStale = true }
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
            for j in 0..<lanes where busy(j) && stale[j] {
                let out = jac + j * nn
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
        for j in 0..<lanes where busy(j) {
            let l = lanes + j, hl = h[l]
            let diagonal = 1 / (hl * T.gamma)
            let a = lu + j * nn, J = jac + j * nn, p = pivots + j * n
            for i in 0..<nn { a[i] = -J[i] }
            for i in 0..<n { a[i * n + i] += diagonal }
            guard luFactor(a, n, p) else {
                error[l] = .infinity
                continue
            }
            error[l] = 0  // marks a factored lane until the error is computed
            statistics[l].factorizations += 1
            statistics[l].rhsEvaluations += 5
            let x = s1 + j * n, f = dfdt + j * n
            for i in 0..<n { x[i] = k1[i * slots + l] + hl * T.d1 * f[i] }
            luSolve(a, n, p, x)
            let u = stageState + j * n
            for i in 0..<n { u[i] = y[i * slots + l] + T.a21 * x[i] }
        }
        @inline(__always) func factored(_ j: Int) -> Bool { busy(j) && error[lanes + j] == 0 }
        /// Stage `s` of every factored lane: s = f(t + c h, stageState) + combination, solved in place.
        @inline(__always) func stage(_ c: Double, _ s: UnsafeMutablePointer<Double>,
                                     _ combine: (_ j: Int, _ i: Int, _ h: Double, _ invH: Double) -> Double) {
            evaluateStiffRHS(c, stageState, s)
            for j in 0..<lanes where factored(j) {
                let hl = h[lanes + j], invH = 1 / hl, x = s + j * n
                for i in 0..<n { x[i] += combine(j * n, i, hl, invH) }
                luSolve(lu + j * nn, n, pivots + j * n, x)
            }
        }
        stage(T.c2, s2) { j, i, h, invH in h * T.d2 * dfdt[j + i] + invH * T.C21 * s1[j + i] }
        for j in 0..<lanes where factored(j) {
            let l = lanes + j, u = stageState + j * n, b = j * n
            for i in 0..<n { u[i] = y[i * slots + l] + T.a31 * s1[b + i] + T.a32 * s2[b + i] }
        }
        stage(T.c3, s3) { j, i, h, invH in h * T.d3 * dfdt[j + i] + invH * (T.C31 * s1[j + i] + T.C32 * s2[j + i]) }
        for j in 0..<lanes where factored(j) {
            let l = lanes + j, u = stageState + j * n, b = j * n
            for i in 0..<n { u[i] = y[i * slots + l] + T.a41 * s1[b + i] + T.a42 * s2[b + i] + T.a43 * s3[b + i] }
        }
        stage(T.c4, s4) { j, i, h, invH in
            h * T.d4 * dfdt[j + i] + invH * (T.C41 * s1[j + i] + T.C42 * s2[j + i] + T.C43 * s3[j + i])
        }
        for j in 0..<lanes where factored(j) {
            let l = lanes + j, u = stageState + j * n, b = j * n
            for i in 0..<n {
                u[i] = y[i * slots + l] + T.a51 * s1[b + i] + T.a52 * s2[b + i] + T.a53 * s3[b + i] + T.a54 * s4[b + i]
            }
        }
        stage(1, s5) { j, i, _, invH in
            invH * (T.C51 * s1[j + i] + T.C52 * s2[j + i] + T.C53 * s3[j + i] + T.C54 * s4[j + i])
        }
        for j in 0..<lanes where factored(j) {
            let u = stageState + j * n, b = j * n
            for i in 0..<n { u[i] += s5[b + i] }
        }
        stage(1, s6) { j, i, _, invH in
            invH * (T.C61 * s1[j + i] + T.C62 * s2[j + i] + T.C63 * s3[j + i] + T.C64 * s4[j + i] + T.C65 * s5[j + i])
        }
        for j in 0..<lanes where factored(j) {
            let l = lanes + j, u = stageState + j * n, b = j * n
            var sum = 0.0
            for i in 0..<n {
                let k = i * slots + l
                yNew[k] = u[i] + s6[b + i]
                let sk = absoluteTolerance[k] + relativeTolerance * max(abs(y[k]), abs(yNew[k]))
                let r = s6[b + i] / sk
                sum += r * r
            }
            for i in 0..<n {
                let k = i * slots + l, q = b + i
                dense1[k] = T.h21 * s1[q] + T.h22 * s2[q] + T.h23 * s3[q] + T.h24 * s4[q] + T.h25 * s5[q]
                dense2[k] = T.h31 * s1[q] + T.h32 * s2[q] + T.h33 * s3[q] + T.h34 * s4[q] + T.h35 * s5[q]
            }
            error[l] = (sum / Double(max(n, 1))).squareRoot()
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
