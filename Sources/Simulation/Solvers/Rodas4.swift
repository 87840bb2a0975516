/// Coefficients of RODAS4 (Hairer & Wanner, *Solving Ordinary Differential Equations II*, 2nd ed., 1996,
/// Section VI.4, code RODAS; doi:10.1007/978-3-642-05221-7), in the W-transformed form used by
/// OrdinaryDiffEq.jl's `Rodas4Tableau`, with the third-order stiffly accurate dense output (h coefficients).
/// L-stable, order 4 with an embedded order-3 estimate; stiffly accurate.
enum Rodas4Tableau: RosenbrockLeadingStages {
    static let gamma = 0.25
    static let a21 = 1.544
    static let a31 = 0.9466785280815826, a32 = 0.2557011698983284
    static let a41 = 3.314825187068521, a42 = 2.896124015972201, a43 = 0.9986419139977817
    static let a51 = 1.221224509226641, a52 = 6.019134481288629, a53 = 12.53708332932087, a54 = -0.6878860361058950
    static let C21 = -5.6688
    static let C31 = -2.430093356833875, C32 = -0.2063599157091915
    static let C41 = -0.1073529058151375, C42 = -9.594562251023355, C43 = -20.47028614809616
    static let C51 = 7.496443313967647, C52 = -10.24680431464352, C53 = -33.99990352819905, C54 = 11.70890893206160
    static let C61 = 8.083246795921522, C62 = -7.981132988064893, C63 = -31.52159432874371, C64 = 16.31930543123136
    static let C65 = -6.058818238834054
    static let c2 = 0.386, c3 = 0.21, c4 = 0.63
    static let d1 = 0.25, d2 = -0.1043, d3 = 0.1035, d4 = -0.03620000000000023
    static let h21 = 10.12623508344586, h22 = -7.487995877610167, h23 = -34.80091861555747, h24 = -7.992771707568823
    static let h25 = 1.025137723295662
    static let h31 = -0.6762803392801253, h32 = 6.087714651680015, h33 = 16.43084320892478, h34 = 24.76722511418386
    static let h35 = -6.594389125716872
}

/// The coefficients of a Rosenbrock method's first four stages (W-transformed form): what RODAS4 and Rodas5P
/// share in `Integrator.leadingStages`.
protocol RosenbrockLeadingStages {
    static var gamma: Double { get }
    static var a21: Double { get }
    static var a31: Double { get }
    static var a32: Double { get }
    static var a41: Double { get }
    static var a42: Double { get }
    static var a43: Double { get }
    static var C21: Double { get }
    static var C31: Double { get }
    static var C32: Double { get }
    static var C41: Double { get }
    static var C42: Double { get }
    static var C43: Double { get }
    static var c2: Double { get }
    static var c3: Double { get }
    static var c4: Double { get }
    static var d1: Double { get }
    static var d2: Double { get }
    static var d3: Double { get }
    static var d4: Double { get }
}

extension Integrator {
    /// One RODAS4 step of size `h` from (t, y) with f(t, y) in `k1` on entry (it is overwritten).
    /// Uses the analytic Jacobian; returns the scaled RMS error, or `.infinity` when the iteration
    /// matrix is singular. Leaves the candidate in `yNew` and dense-output data in `dense1`, `dense2`.
    func rodasStep(_ h: Double) -> Double {
        typealias T = Rodas4Tableau
        let n = self.n
        guard factorIterationMatrix(h, gamma: T.gamma) else { return .infinity }
        let invH = 1 / h
        leadingStages(h, invH, T.self)
        for i in 0..<n { tmp[i] = y[i] + T.a51 * s1[i] + T.a52 * s2[i] + T.a53 * s3[i] + T.a54 * s4[i] }
        evaluateRHS(t + h, tmp, s5)
        for i in 0..<n { s5[i] += invH * (T.C51 * s1[i] + T.C52 * s2[i] + T.C53 * s3[i] + T.C54 * s4[i]) }
        solveStage(s5)
        for i in 0..<n { tmp[i] += s5[i] }
        evaluateRHS(t + h, tmp, s6)
        for i in 0..<n {
            s6[i] += invH * (T.C61 * s1[i] + T.C62 * s2[i] + T.C63 * s3[i] + T.C64 * s4[i] + T.C65 * s5[i])
        }
        solveStage(s6)
        let err = finishRosenbrockStep(lastStage: s6)
        for i in 0..<n {
            dense1[i] = T.h21 * s1[i] + T.h22 * s2[i] + T.h23 * s3[i] + T.h24 * s4[i] + T.h25 * s5[i]
            dense2[i] = T.h31 * s1[i] + T.h32 * s2[i] + T.h33 * s3[i] + T.h34 * s4[i] + T.h35 * s5[i]
        }
        return err
    }

    /// Stages 1–4 of a Rosenbrock step of size `h` (`invH` = 1/h), which RODAS4 and Rodas5P share in form:
    /// `s1 … s4` solved in place, with f(t, y) in `k1` on entry; the stage states go through `tmp`.
    @inline(__always)
    func leadingStages<T: RosenbrockLeadingStages>(_ h: Double, _ invH: Double, _: T.Type) {
        let n = self.n
        for i in 0..<n { s1[i] = k1[i] + h * T.d1 * dfdt[i] }
        solveStage(s1)
        for i in 0..<n { tmp[i] = y[i] + T.a21 * s1[i] }
        evaluateRHS(t + T.c2 * h, tmp, s2)
        for i in 0..<n { s2[i] += h * T.d2 * dfdt[i] + invH * T.C21 * s1[i] }
        solveStage(s2)
        for i in 0..<n { tmp[i] = y[i] + T.a31 * s1[i] + T.a32 * s2[i] }
        evaluateRHS(t + T.c3 * h, tmp, s3)
        for i in 0..<n { s3[i] += h * T.d3 * dfdt[i] + invH * (T.C31 * s1[i] + T.C32 * s2[i]) }
        solveStage(s3)
        for i in 0..<n { tmp[i] = y[i] + T.a41 * s1[i] + T.a42 * s2[i] + T.a43 * s3[i] }
        evaluateRHS(t + T.c4 * h, tmp, s4)
        for i in 0..<n { s4[i] += h * T.d4 * dfdt[i] + invH * (T.C41 * s1[i] + T.C42 * s2[i] + T.C43 * s3[i]) }
        solveStage(s4)
    }

    /// The iteration matrix `I/(hγ) − J` of a Rosenbrock step of size `h`, factored (the sparse LU where its
    /// pivots pass the threshold test, else the dense LU); J and df/dt are evaluated at (t, y) first when
    /// they are not current (columns with a non-finite entry by differences, `replaceNonFiniteJacobianColumns`).
    /// False when the matrix is singular.
    @inline(__always)
    func factorIterationMatrix(_ h: Double, gamma: Double) -> Bool {
        if !jacobianIsCurrent {
            evaluateJacobian(t, y, jac)
            replaceNonFiniteJacobianColumns()
            evaluateTimeDerivative(t, y, dfdt)
            jacobianIsCurrent = true
        }
        let diagonal = 1 / (h * gamma)
        let m = model.jacobianBlockSize
        usesSparseFactors = prefersSparseFactors && sparseLU?.factor(denseJacobian: jac, diagonalShift: diagonal) == true
        if !usesSparseFactors {
            for i in 0..<(m * m) { lu[i] = -jac[i] }
            for i in 0..<m { lu[i * m + i] += diagonal }
            guard luFactor(lu, m, pivots) else { return false }
        }
        statistics.factorizations += 1
        return true
    }

    /// The end of a stiffly accurate Rosenbrock step whose last stage state is in `tmp`: the candidate
    /// `tmp + lastStage` into `yNew`, and the scaled RMS norm of `lastStage` (the embedded error estimate)
    /// with weights `atol_i + rtol · max(|y_i|, |yNew_i|)`.
    @inline(__always)
    func finishRosenbrockStep(lastStage: UnsafeMutablePointer<Double>) -> Double {
        var sum = 0.0
        for i in 0..<n {
            yNew[i] = tmp[i] + lastStage[i]
            let sk = absoluteTolerance[i] + relativeTolerance * max(abs(y[i]), abs(yNew[i]))
            let r = lastStage[i] / sk
            sum += r * r
        }
        return (sum / Double(max(n, 1))).squareRoot()
    }

    /// Solves `(I/(hγ) − J_aug) x = b` in place with the LU of the model block `I/(hγ) − J`. With forward
    /// sensitivities the matrix is block lower-triangular (`CompiledModel.jacobianBlockSize`): `x_0 = M⁻¹ b_0`,
    /// then `x_p = M⁻¹ (b_p + A_p x_0)` for each input — exactly the solve of the full matrix, at the cost
    /// of one LU of size m instead of m(1 + P).
    /// The sparse LU of the model block is used when its pivots pass the threshold test (`SparseLU`), else
    /// the dense one; the batched RODAS4 lanes make the same choice per lane, so their results stay
    /// bit-identical to this path's.
    @inline(__always)
    func solveStage(_ b: UnsafeMutablePointer<Double>) {
        let m = model.jacobianBlockSize
        guard let blocks = sensitivityBlocks else {
            if usesSparseFactors, let sparse = sparseLU { sparse.solve(b) } else { luSolve(lu, m, pivots, b) }
            return
        }
        if usesSparseFactors, let sparse = sparseLU {
            sparse.solve(b)
            for p in 0..<blocks.blockCount { blocks.addProduct(block: p, b, into: b + (p + 1) * m) }
            sparse.solve(b + m, count: blocks.blockCount)
            return
        }
        luSolve(lu, m, pivots, b)
        for p in 0..<blocks.blockCount {
            let bp = b + (p + 1) * m
            blocks.addProduct(block: p, b, into: bp)
            luSolve(lu, m, pivots, bp)
        }
    }
}
