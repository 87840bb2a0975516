/// Bounded quasi-Newton minimisation from values and gradients: a projected BFGS method.
///
/// Each iteration fixes the coordinates held at a bound by the gradient (the active set), solves
/// `B_FF d = −g_F` with the BFGS Hessian approximation `B` restricted to the free coordinates, and searches
/// along the projected path `x(α) = P(x + α d)` with backtracking until the Armijo condition
/// `f(x(α)) ≤ f(x) + 10⁻⁴ gᵀ(x(α) − x)` holds (Bertsekas, SIAM J. Control Optim. 20, 1982,
/// doi:10.1137/0320018). `B` starts as the identity, is rescaled by `yᵀy / sᵀy` after the first step, and
/// is updated with Powell's damped BFGS formula so that it stays positive definite even where the
/// curvature condition fails (points where the objective is infinite are simply rejected by the search).
///
/// - Complexity: one `value(at:gradient:)` per line-search trial (usually one per iteration) plus O(n³)
///   arithmetic per iteration for n parameters; meant for up to about a hundred parameters.
public struct ProjectedQuasiNewton: LocalOptimiser {
    public var options: OptimisationOptions

    public init(options: OptimisationOptions = .init()) {
        self.options = options
    }

    public func minimise<O: ObjectiveFunction>(_ objective: O, from start: [Double]) -> OptimisationResult {
        var run = OptimisationRun(objective, from: start)
        let box = run.box
        let n = box.count
        var x = run.start, f = run.startValue, g = run.startGradient
        func result(_ exit: OptimisationExit, iterations: Int) -> OptimisationResult {
            run.result(x: x, value: f, gradient: g, exit: exit, iterations: iterations)
        }
        guard f.isFinite else { return result(.nonFiniteStart, iterations: 0) }
        var hessian = ProjectedQuasiNewton.identity(n)
        var isIdentity = true
        var iteration = 0
        while true {
            if let exit = run.stopBeforeIteration(x: x, gradient: g, iteration: iteration, options: options) {
                return result(exit, iterations: iteration)
            }
            iteration += 1

            let direction = searchDirection(hessian, g, x, box)
            guard let accepted = lineSearch(&run.eval, x: x, f: f, g: g, direction: direction, box: box,
                                            firstStep: isIdentity) else {
                if isIdentity {
                    // A first-order decrease below the objective's rounding error cannot be seen: that is
                    // convergence to working precision, not a failed search.
                    let resolvable = abs(dot(g, direction)) > 1e3 * f.ulp
                    return result(resolvable ? .lineSearchFailed : .functionTolerance, iterations: iteration)
                }
                hessian = ProjectedQuasiNewton.identity(n)
                isIdentity = true
                continue
            }
            var s = [Double](repeating: 0, count: n), y = s
            for i in 0..<n {
                s[i] = accepted.x[i] - x[i]
                y[i] = accepted.gradient[i] - g[i]
            }
            let decrease = f - accepted.value
            x = accepted.x
            f = accepted.value
            g = accepted.gradient
            // Only a full step says the model expects no more progress (a backtracked step's small decrease
            // says nothing about optimality), and a stall under a BFGS matrix that may have gone stale (huge
            // curvature learnt elsewhere gives tiny steps) is retried once from the identity.
            var stall: OptimisationExit?
            if isStepSmall(s, at: x, tolerance: options.stepTolerance) {
                stall = .stepTolerance
            } else if accepted.isFullStep && decrease <= options.functionTolerance * abs(f) {
                stall = .functionTolerance
            }
            if let stall {
                if isIdentity { return result(stall, iterations: iteration) }
                hessian = ProjectedQuasiNewton.identity(n)
                isIdentity = true
                continue
            }
            if isIdentity {
                let sy = dot(s, y), yy = dot(y, y)
                if sy > 0 && yy > 0 {
                    for i in 0..<n { hessian[i * n + i] = yy / sy }
                }
            }
            ProjectedQuasiNewton.dampedUpdate(&hessian, s: s, y: y)
            isIdentity = false
        }
    }

    /// −B_FF⁻¹ g_F on the free coordinates, zero on the active ones; steepest descent if B_FF is singular.
    private func searchDirection(_ hessian: [Double], _ g: [Double], _ x: [Double], _ box: BoxBounds) -> [Double] {
        let n = g.count
        let free = (0..<n).filter { box.isFree($0, x, g) }
        let m = free.count
        var a = [Double](repeating: 0, count: m * m), b = [Double](repeating: 0, count: m)
        for (p, i) in free.enumerated() {
            b[p] = -g[i]
            for (q, j) in free.enumerated() { a[p * m + q] = hessian[i * n + j] }
        }
        let solution = DenseCholesky.solve(a, b, n: m) ?? b
        var d = [Double](repeating: 0, count: n)
        for (p, i) in free.enumerated() { d[i] = solution[p] }
        if dot(d, g) >= 0 {
            for i in free { d[i] = -g[i] }
        }
        return d
    }

    /// Backtracking along the projected path; nil when 40 reductions find no sufficient decrease.
    /// `isFullStep`: the first trial (α = 1, or the unit-length first step) was accepted.
    private func lineSearch<O>(_ eval: inout CountingEvaluator<O>, x: [Double], f: Double, g: [Double],
                               direction: [Double], box: BoxBounds, firstStep: Bool)
        -> (x: [Double], value: Double, gradient: [Double], isFullStep: Bool)? {
        let n = x.count
        var alpha = 1.0
        if firstStep {
            // Unscaled steepest descent: limit the first trial to unit length on the optimisation scale.
            let length = euclideanNorm(direction)
            if length > 1 { alpha = 1 / length }
        }
        for trialIndex in 0..<40 {
            if eval.total >= options.maxEvaluations { return nil }
            var trial = [Double](repeating: 0, count: n)
            for i in 0..<n { trial[i] = x[i] + alpha * direction[i] }
            trial = box.project(trial)
            var slope = 0.0, moved = false
            for i in 0..<n {
                let s = trial[i] - x[i]
                slope += g[i] * s
                if s != 0 { moved = true }
            }
            if !moved { return nil }
            let (value, gradient) = eval.valueAndGradient(trial)
            if value.isFinite && value <= f + 1e-4 * slope {
                return (trial, value, gradient, trialIndex == 0)
            }
            // Minimiser of the quadratic through f, the slope and the trial value, kept in [0.1, 0.5]·α.
            var shrink = 0.5
            if value.isFinite && slope < 0 {
                let q = -slope / (2 * (value - f - slope))
                shrink = min(max(q, 0.1), 0.5)
            }
            alpha *= shrink
        }
        return nil
    }

    static func identity(_ n: Int) -> [Double] {
        var h = [Double](repeating: 0, count: n * n)
        for i in 0..<n { h[i * n + i] = 1 }
        return h
    }

    /// Powell's damped BFGS update of B (Nocedal & Wright, Procedure 18.2): keeps B positive definite.
    static func dampedUpdate(_ b: inout [Double], s: [Double], y: [Double]) {
        let n = s.count
        var bs = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var t = 0.0
            for j in 0..<n { t += b[i * n + j] * s[j] }
            bs[i] = t
        }
        let sBs = dot(s, bs), sy = dot(s, y)
        guard sBs > 0, sBs.isFinite else { return }
        let theta = sy >= 0.2 * sBs ? 1.0 : 0.8 * sBs / (sBs - sy)
        var r = [Double](repeating: 0, count: n)
        for i in 0..<n { r[i] = theta * y[i] + (1 - theta) * bs[i] }
        let sr = dot(s, r)
        guard sr > 0, sr.isFinite else { return }
        for i in 0..<n {
            for j in 0..<n {
                b[i * n + j] += -bs[i] * bs[j] / sBs + r[i] * r[j] / sr
            }
        }
    }
}

@inline(__always) func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in a.indices { s += a[i] * b[i] }
    return s
}
