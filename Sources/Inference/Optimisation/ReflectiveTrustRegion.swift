/// Trust-region reflective least squares for box-bounded objectives `½ Σ rᵢ(x)² + c(x)`: the method of
/// scipy's `least_squares(method='trf')` (Branch, Coleman & Li, SIAM J. Sci. Comput. 21, 1999,
/// doi:10.1137/S1064827595289108), here with the exact trust-region subproblem solver.
///
/// Iterates stay strictly inside the box. Each iteration works in the Coleman–Li scaled variables
/// `x = D x̂`, `D = diag(√vᵢ)`, where vᵢ is the distance to the bound the gradient pushes towards (1 where it
/// pushes towards no bound), so a parameter near the bound it is heading for takes proportionally shorter steps.
/// The scaled model Hessian is `D JᵀJ D + diag(|gᵢ|·[vᵢ is a distance])` (the second term is the curvature of
/// the scaling, which makes the method's fixed points the box-constrained first-order points), and the step
/// minimises that model within the trust region ‖ŝ‖ ≤ Δ (Moré's iteration on the Levenberg–Marquardt
/// parameter, on the eigendecomposition of the scaled Hessian). A step that leaves the box is replaced by the best
/// of three candidates: the step cut at the first bound (kept strictly inside), that step followed by its
/// reflection off the bound, and the scaled steepest-descent (Cauchy) step. The trial point is accepted when it
/// lowers the objective; Δ shrinks to a quarter of the step when the actual decrease is below a quarter of the
/// predicted one and doubles when it is above three quarters on a step that reached the trust region's edge.
///
/// Uses the full gradient of `value(at:gradient:)` (so terms `c(x)` outside the squares, such as estimated
/// noise parameters' log σ or priors, enter the step), and `JᵀJ` of `residuals` as the Hessian model, or, as in
/// NL2SOL (and ``TrustRegionLeastSquares``), `JᵀJ + S` with a secant term `S` for the curvature `JᵀJ` misses
/// (large residuals, `c`): each trial, a rejected one's retry included, uses whichever of the two predicted the
/// last trial's decrease better (a wrong secant model otherwise kept shrinking the region until the start stopped
/// on a slope: Weber_BMC2015 from its optimum's neighbourhood). With `S` the model may be indefinite; the
/// subproblem then shifts by its lowest eigenvalue. When a trial's actual and predicted decreases are both within
/// rounding of f (16 ulp), f cannot rank the points and the trial is accepted if it lowers the projected gradient.
/// Stops as `OptimisationOptions` describes (the projected-gradient test, as for the other optimisers, rather
/// than scipy's test on the Coleman–Li measure max|gᵢ·vᵢ|, which stops earlier near bounds). Objectives without a least-squares form go to ``ProjectedQuasiNewton``.
///
/// - Complexity: per iteration one `value(at:gradient: nil)` at the trial point, one `leastSquaresModel(at:)`
///   per accepted step, and O(m·n² + n³) arithmetic for m residuals and n parameters.
public struct ReflectiveTrustRegion: LocalOptimiser {
    public var options: OptimisationOptions

    public init(options: OptimisationOptions = .init()) {
        self.options = options
    }

    public func minimise<O: ObjectiveFunction>(_ objective: O, from start: [Double]) -> OptimisationResult {
        let box = BoxBounds(objective)
        var run = OptimisationRun(objective, from: box.strictlyInterior(start, relativeStep: 1e-10), leastSquares: true)
        let n = box.count
        var x = run.start, f = run.startValue, g = run.startGradient
        func result(_ exit: OptimisationExit, iterations: Int) -> OptimisationResult {
            run.result(x: x, value: f, gradient: g, exit: exit, iterations: iterations)
        }
        guard f.isFinite else { return result(.nonFiniteStart, iterations: 0) }
        guard var current = run.startModel else { return run.quasiNewtonFallback(objective, from: start, options: options) }
        // Initial radius ‖D⁻¹x‖ (scipy's), 1 at the origin.
        let initialScaling = ColemanLiScaling(x: x, gradient: g, box: box)
        var radius = 0.0
        for i in 0..<n { radius += x[i] * x[i] / initialScaling.v[i] }
        radius = radius > 0 ? radius.squareRoot() : 1
        var alpha = 0.0
        var iteration = 0
        var secant = [Double](repeating: 0, count: n * n)
        var useSecant = false, modelUsesSecant = false
        var gaussNewton = current.gaussNewtonMatrix(parameterCount: n)
        while true {
            let scaling = ColemanLiScaling(x: x, gradient: g, box: box)
            if let exit = run.stopBeforeIteration(x: x, gradient: g, iteration: iteration, options: options) {
                return result(exit, iterations: iteration)
            }
            if useSecant != modelUsesSecant { alpha = 0 }  // the other model's Levenberg–Marquardt parameter is unrelated
            modelUsesSecant = useSecant
            var hessian = gaussNewton
            if useSecant { for k in 0..<(n * n) { hessian[k] += secant[k] } }
            let model = ScaledQuadraticModel(gaussNewton: hessian, gradient: g, scaling: scaling,
                                             residualCount: current.residuals.count, indefinite: useSecant)
            let theta = max(0.995, 1 - scaling.optimality(g))
            // Inner loop: shrink the trust region until a trial point lowers the objective.
            while true {
                iteration += 1
                let (stepH, newAlpha) = model.trustRegionStep(radius: radius, initialAlpha: alpha)
                alpha = newAlpha
                let chosen = model.selectStep(x: x, stepH: stepH, radius: radius, box: box, theta: theta)
                let trial = box.strictlyInterior(zip(x, chosen.step).map(+), relativeStep: 0)
                let stepNorm = euclideanNorm(chosen.step)
                let stepHNorm = euclideanNorm(chosen.stepH)
                let fTrial = run.eval.value(trial)
                var accepted: LeastSquaresModel?
                var newRadius = 0.25 * stepHNorm
                if fTrial.isFinite {
                    let actual = f - fTrial
                    // NL2SOL's model choice for the next iterations: the model that predicted this decrease better.
                    let secantTerm = 0.5 * TrustRegionLeastSquares.quadraticForm(secant, chosen.step)
                    let predictedGN = modelUsesSecant ? chosen.predicted + secantTerm : chosen.predicted
                    let predictedSecant = predictedGN - secantTerm
                    useSecant = abs(predictedSecant - actual) < abs(predictedGN - actual)
                    let ratio = chosen.predicted > 0 ? actual / chosen.predicted
                        : (actual == 0 && chosen.predicted == 0 ? 1 : 0)
                    var judgedByGradient = false
                    if actual > 0 {
                        accepted = run.eval.leastSquaresModel(trial)
                    } else if atRoundingFloor(actual: actual, predicted: chosen.predicted, value: f) {
                        // f cannot see the step's decrease: the projected gradient judges it (the radius stays).
                        accepted = run.eval.leastSquaresModel(trial).flatMap { m in
                            box.projectedGradientNorm(trial, m.gradient) < box.projectedGradientNorm(x, g) ? m : nil
                        }
                        judgedByGradient = accepted != nil
                    }
                    if ratio >= 0.25 || judgedByGradient, accepted != nil || actual <= 0 {
                        newRadius = ratio > 0.75 && stepHNorm > 0.95 * radius ? 2 * radius : radius
                    }
                    if let accepted {
                        let gradientChange = (0..<n).map { accepted.gradient[$0] - g[$0] }
                        x = trial
                        (f, g) = (fTrial, accepted.gradient)
                        current = accepted
                        gaussNewton = accepted.gaussNewtonMatrix(parameterCount: n)
                        TrustRegionLeastSquares.updateSecant(&secant, gaussNewton: gaussNewton, step: chosen.step,
                                                             gradientChange: gradientChange)
                        if actual <= options.functionTolerance * abs(fTrial), ratio > 0.25 {
                            return result(.functionTolerance, iterations: iteration)
                        }
                    }
                    if newRadius > 0 { alpha *= radius / newRadius }
                }
                if stepNorm <= options.stepTolerance * (options.stepTolerance + euclideanNorm(x)) {
                    return result(.stepTolerance, iterations: iteration)
                }
                radius = newRadius
                // A rejected step that the other model predicted better: the next trial uses that model.
                if accepted != nil || useSecant != modelUsesSecant { break }
                if iteration >= options.maxIterations { return result(.maxIterations, iterations: iteration) }
                if run.eval.total >= options.maxEvaluations { return result(.maxEvaluations, iterations: iteration) }
            }
        }
    }
}

/// Whether a trial's actual and predicted decreases are both within rounding of the objective (16 ulp of f):
/// there f's values cannot rank the points.
func atRoundingFloor(actual: Double, predicted: Double, value f: Double) -> Bool {
    let floor = 16 * Double.ulpOfOne * abs(f)
    return abs(actual) <= floor && abs(predicted) <= floor
}

/// The Coleman–Li scaling vector at x: vᵢ = uᵢ − xᵢ where gᵢ < 0 (the gradient pushes x towards its upper
/// bound), xᵢ − lᵢ where gᵢ > 0, 1 where gᵢ = 0; `dv` is the derivative of vᵢ in xᵢ (−1, 1 or 0).
struct ColemanLiScaling {
    var v: [Double]
    var dv: [Double]

    init(x: [Double], gradient g: [Double], box: BoxBounds) {
        v = [Double](repeating: 1, count: x.count)
        dv = [Double](repeating: 0, count: x.count)
        for i in x.indices {
            if g[i] < 0, box.upper[i].isFinite {
                v[i] = box.upper[i] - x[i]
                dv[i] = -1
            } else if g[i] > 0, box.lower[i].isFinite {
                v[i] = x[i] - box.lower[i]
                dv[i] = 1
            }
        }
    }

    /// max|gᵢ·vᵢ|: zero exactly at the box-constrained first-order points.
    func optimality(_ g: [Double]) -> Double {
        var m = 0.0
        for i in g.indices { m = max(m, abs(g[i] * v[i])) }
        return g.allSatisfy(\.isFinite) ? m : .infinity
    }
}

extension BoxBounds {
    /// x moved strictly inside the box: a coordinate on or beyond a bound moves to that bound plus
    /// `relativeStep · max(1, |bound|)` inwards (the next representable number inwards when `relativeStep` is 0),
    /// and to the middle of the box when that is not inside (scipy's `make_strictly_feasible`).
    func strictlyInterior(_ x: [Double], relativeStep: Double) -> [Double] {
        var y = x
        for i in y.indices {
            let (l, u) = (lower[i], upper[i])
            if y[i] <= l {
                y[i] = relativeStep == 0 ? l.nextUp : l + relativeStep * max(1, abs(l))
            } else if y[i] >= u {
                y[i] = relativeStep == 0 ? u.nextDown : u - relativeStep * max(1, abs(u))
            }
            if !(y[i] > l && y[i] < u) { y[i] = 0.5 * (l + u) }
        }
        return y
    }
}
