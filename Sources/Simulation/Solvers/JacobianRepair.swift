/// Jacobian entries that are not finite where the state is: an analytic derivative with a singularity at a
/// reachable state (d/dL (L/T)^0.58 at L = 0, as de Pillis 2005 starts), which would fill a Rosenbrock step with
/// NaNs until the step size underflows. Such columns are replaced by forward differences of f, which is what a
/// difference-quotient Jacobian (CVODE's default) would use there: a large but finite secant slope. A sensitivity
/// system's off-diagonal blocks `A_p = ∂(ds_p/dt)/∂x` (second derivatives, infinite there too) are repaired in the
/// same columns from the same differences of the augmented right-hand side.
extension Integrator {
    /// Replaces every column j of the model block's Jacobian in `jac` (evaluated at (t, y), with f(t, y) in `k1`)
    /// that holds a non-finite entry, in the model block or in a sensitivity block `A_p`, by the forward difference
    /// (f(t, y + δ e_j) − f(t, y)) / δ of the model block's rows and of the `A_p` entries' rows,
    /// δ = sqrt(ε) · max(|y_j|, 1). Uses `tmp` and `s8` as scratch; counts the evaluations.
    /// Returns whether any column was replaced.
    @discardableResult
    func replaceNonFiniteJacobianColumns() -> Bool {
        let m = model.jacobianBlockSize
        var replaced = false
        for j in 0..<m {
            var finite = true
            for i in 0..<m where !jac[i * m + j].isFinite {
                finite = false
                break
            }
            if finite, let blocks = sensitivityBlocks { finite = blocks.columnIsFinite(j) }
            if finite { continue }
            replaced = true
            tmp.update(from: y, count: n)
            let delta = Double.ulpOfOne.squareRoot() * max(abs(y[j]), 1)
            tmp[j] = y[j] + delta
            let step = tmp[j] - y[j]  // the perturbation as represented
            evaluateRHS(t, tmp, s8)
            for i in 0..<m { jac[i * m + j] = (s8[i] - k1[i]) / step }
            sensitivityBlocks?.replaceColumn(j) { p, i in (s8[m + p * m + i] - k1[m + p * m + i]) / step }
        }
        return replaced
    }
}
