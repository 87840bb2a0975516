/// Bounded Levenberg–Marquardt (a Gauss–Newton trust region) for objectives of the form
/// `½ Σ rᵢ(x)² + c(x)`.
///
/// Each iteration builds the model `m(s) = f + gᵀs + ½ sᵀ(JᵀJ)s` from the full gradient `g` of
/// `value(at:gradient:)` and the residual Jacobian `J` of `residuals(at:jacobian:)`, fixes the coordinates
/// held at a bound by the gradient (the active set), solves the damped system
/// `(H_FF + λ·diag(J_FᵀJ_F)) p = −g_F` on the free ones (H the model Hessian below), and projects `x + p` onto the box. The step
/// is accepted when the actual decrease is at least 10⁻⁴ of the model's predicted decrease; λ follows
/// Nielsen's update (shrinks by up to 3× on good steps, doubles its growth factor on each rejection).
/// This is the projected Levenberg–Marquardt method of Kanzow, Yamashita & Fukushima (J. Comput. Appl. Math.
/// 172, 2004, doi:10.1016/j.cam.2004.02.013) with Marquardt scaling.
///
/// Far from a zero-residual fit (or when `c` has curvature) `JᵀJ` underestimates the Hessian and plain
/// Gauss–Newton crawls; so, as in NL2SOL (Dennis, Gay & Welsch, ACM TOMS 7, 1981, doi:10.1145/355958.355965),
/// a secant term `S` is kept (symmetric rank-one updates so that `(JᵀJ + S) s = Δg` after each accepted
/// step) and each iteration uses `JᵀJ` or `JᵀJ + S`, whichever predicted the last step's decrease better.
///
/// Objectives without a least-squares form (`residuals` returns nil at the start) are handed to
/// ``ProjectedQuasiNewton`` with the same options.
///
/// - Complexity: per iteration one `value(at:gradient: nil)` at the trial point and, when the step is accepted,
///   one `leastSquaresModel(at:)` (value, gradient, residuals and Jacobian); plus O(m·n² + n³) arithmetic for
///   m residuals and n parameters. The iterate's value is the one `value(at:gradient: nil)` gave, so that
///   accepted and trial values are always compared like with like.
public struct TrustRegionLeastSquares: LocalOptimiser {
    public var options: OptimisationOptions

    public init(options: OptimisationOptions = .init()) {
        self.options = options
    }

    public func minimise<O: ObjectiveFunction>(_ objective: O, from start: [Double]) -> OptimisationResult {
        var run = OptimisationRun(objective, from: start, leastSquares: true)
        let box = run.box
        let n = box.count
        var x = run.start, f = run.startValue, g = run.startGradient
        func result(_ exit: OptimisationExit, iterations: Int) -> OptimisationResult {
            run.result(x: x, value: f, gradient: g, exit: exit, iterations: iterations)
        }
        guard f.isFinite else { return result(.nonFiniteStart, iterations: 0) }
        guard let first = run.startModel else { return run.quasiNewtonFallback(objective, from: start, options: options) }
        var gaussNewton = first.gaussNewtonMatrix(parameterCount: n)
        var secant = [Double](repeating: 0, count: n * n)
        var useSecant = false
        var lambda = 1e-3
        var growth = 2.0
        var iteration = 0
        while true {
            if let exit = run.stopBeforeIteration(x: x, gradient: g, iteration: iteration, options: options) {
                return result(exit, iterations: iteration)
            }
            iteration += 1

            var hessian = gaussNewton
            if useSecant { for k in 0..<(n * n) { hessian[k] += secant[k] } }
            let free = (0..<n).filter { box.isFree($0, x, g) }
            let m = free.count
            var a = [Double](repeating: 0, count: m * m), b = [Double](repeating: 0, count: m)
            for (p, i) in free.enumerated() {
                b[p] = -g[i]
                for (q, j) in free.enumerated() { a[p * m + q] = hessian[i * n + j] }
                let diagonal = gaussNewton[i * n + i]
                a[p * m + p] += lambda * (diagonal > 0 ? diagonal : 1)
            }
            guard let p = DenseCholesky.solve(a, b, n: m) else {
                lambda *= growth
                growth *= 2
                continue
            }
            var trial = x
            for (k, i) in free.enumerated() { trial[i] += p[k] }
            trial = box.project(trial)
            var step = [Double](repeating: 0, count: n)
            for i in 0..<n { step[i] = trial[i] - x[i] }
            if isStepSmall(step, at: x, tolerance: options.stepTolerance) {
                return result(.stepTolerance, iterations: iteration)
            }
            let predictedGN = TrustRegionLeastSquares.predictedDecrease(g, gaussNewton, step)
            let predictedSecant = predictedGN - 0.5 * TrustRegionLeastSquares.quadraticForm(secant, step)
            let predicted = useSecant ? predictedSecant : predictedGN
            guard predicted > 0 else {
                lambda *= growth
                growth *= 2
                continue
            }
            // The trial is judged by the value alone (for simulation-based objectives a run without
            // sensitivities); the gradient and residual Jacobian are computed only for accepted steps.
            let fTrial = run.eval.value(trial)
            let ratio = (f - fTrial) / predicted
            if fTrial.isFinite {
                // NL2SOL's model choice: keep whichever model predicted this step's decrease better.
                useSecant = abs(predictedSecant - (f - fTrial)) < abs(predictedGN - (f - fTrial))
            }
            guard fTrial.isFinite, ratio > 1e-4, let next = run.eval.leastSquaresModel(trial) else {
                lambda *= growth
                growth *= 2
                continue
            }
            let gTrial = next.gradient
            let decrease = f - fTrial
            let gradientChange = (0..<n).map { gTrial[$0] - g[$0] }
            x = trial
            f = fTrial
            g = gTrial
            lambda *= max(1.0 / 3.0, 1 - pow3(2 * ratio - 1))
            growth = 2
            gaussNewton = next.gaussNewtonMatrix(parameterCount: n)
            TrustRegionLeastSquares.updateSecant(&secant, gaussNewton: gaussNewton, step: step,
                                                 gradientChange: gradientChange)
            // A small decrease means convergence only for a nearly undamped (Gauss–Newton) step; under heavy
            // damping it only says the step was short (seen on PEtab problems far from the data).
            if ratio > 0.25 && lambda <= 1 && decrease <= options.functionTolerance * abs(f) {
                return result(.functionTolerance, iterations: iteration)
            }
        }
    }

    /// −(gᵀs + ½ sᵀHs): the decrease the quadratic model with Hessian H predicts for step s.
    static func predictedDecrease(_ g: [Double], _ h: [Double], _ s: [Double]) -> Double {
        -(dot(g, s) + 0.5 * quadraticForm(h, s))
    }

    /// sᵀ H s for row-major H.
    static func quadraticForm(_ h: [Double], _ s: [Double]) -> Double {
        let n = s.count
        var total = 0.0
        for i in 0..<n where s[i] != 0 {
            var hs = 0.0
            for j in 0..<n { hs += h[i * n + j] * s[j] }
            total += s[i] * hs
        }
        return total
    }

    /// Symmetric rank-one update of S so that (JᵀJ + S) s = Δg after the step (a structured secant
    /// condition for the curvature JᵀJ misses: Σ rᵢ∇²rᵢ and that of c); skipped when the update is
    /// numerically ill-defined (Nocedal & Wright, eq. 6.26).
    static func updateSecant(_ secant: inout [Double], gaussNewton: [Double], step: [Double],
                             gradientChange: [Double]) {
        let n = step.count
        var residual = gradientChange
        for i in 0..<n {
            for j in 0..<n { residual[i] -= (gaussNewton[i * n + j] + secant[i * n + j]) * step[j] }
        }
        let denominator = dot(residual, step)
        guard abs(denominator) >= 1e-8 * euclideanNorm(residual) * euclideanNorm(step), denominator != 0,
              denominator.isFinite else { return }
        for i in 0..<n {
            for j in 0..<n { secant[i * n + j] += residual[i] * residual[j] / denominator }
        }
    }
}

@inline(__always) private func pow3(_ x: Double) -> Double { x * x * x }
