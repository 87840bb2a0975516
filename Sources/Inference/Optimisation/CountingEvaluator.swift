/// Calls an objective and counts the calls, for the optimisers' evaluation limits and results.
struct CountingEvaluator<O: ObjectiveFunction> {
    let objective: O
    private(set) var evaluations = 0
    private(set) var residualEvaluations = 0

    init(_ objective: O) { self.objective = objective }

    /// The value and gradient; the value is `.infinity` when either is not finite.
    mutating func valueAndGradient(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        evaluations += 1
        let (v, g) = objective.valueAndGradient(at: x)
        guard v.isFinite, g.allSatisfy(\.isFinite) else { return (.infinity, g) }
        return (v, g)
    }

    /// The objective's value alone (no gradient: for a simulation-based objective, no sensitivities);
    /// `.infinity` when it is not finite.
    mutating func value(_ x: [Double]) -> Double {
        evaluations += 1
        let v = objective.value(at: x, gradient: nil)
        return v.isFinite ? v : .infinity
    }

    /// Value, gradient, residuals and Jacobian from one `leastSquaresModel(at:)` call (counted as a
    /// residual evaluation); nil when the objective has no least-squares form or anything is not finite.
    mutating func leastSquaresModel(_ x: [Double]) -> LeastSquaresModel? {
        residualEvaluations += 1
        guard let model = objective.leastSquaresModel(at: x), model.isValid(parameterCount: x.count) else { return nil }
        return model
    }

    var total: Int { evaluations + residualEvaluations }
}

/// Seconds since `start` on the continuous clock.
func secondsSince(_ start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// What both local optimisers share: the bounds, the counted objective, the clock, and the start point
/// (projected) with its value and gradient.
struct OptimisationRun<O: ObjectiveFunction> {
    let box: BoxBounds
    var eval: CountingEvaluator<O>
    let clock = ContinuousClock.now
    let start: [Double]
    let startValue: Double
    let startGradient: [Double]

    /// With `leastSquares`, the start's residuals and Jacobian too (`startModel`), from one evaluation
    /// when the objective has a least-squares form.
    let startModel: LeastSquaresModel?

    init(_ objective: O, from start: [Double], leastSquares: Bool = false) {
        box = BoxBounds(objective)
        eval = CountingEvaluator(objective)
        self.start = box.project(start)
        startModel = leastSquares ? eval.leastSquaresModel(self.start) : nil
        if let startModel {
            (startValue, startGradient) = (startModel.value, startModel.gradient)
        } else {
            (startValue, startGradient) = eval.valueAndGradient(self.start)
        }
    }

    /// The stop at the top of an iteration: a first-order point, or the iteration or evaluation limit.
    func stopBeforeIteration(x: [Double], gradient g: [Double], iteration: Int,
                             options: OptimisationOptions) -> OptimisationExit? {
        if box.projectedGradientNorm(x, g) <= options.gradientTolerance { return .gradientTolerance }
        if iteration >= options.maxIterations { return .maxIterations }
        if eval.total >= options.maxEvaluations { return .maxEvaluations }
        return nil
    }

    /// The result at (x, f, g) with the counts and time so far.
    func result(x: [Double], value f: Double, gradient g: [Double], exit: OptimisationExit,
                iterations: Int) -> OptimisationResult {
        OptimisationResult(start: start, startValue: startValue, x: x, value: f,
                           gradientNorm: f.isFinite ? box.projectedGradientNorm(x, g) : .infinity,
                           iterations: iterations, evaluations: eval.evaluations,
                           residualEvaluations: eval.residualEvaluations, exit: exit, seconds: secondsSince(clock))
    }

    /// For the least-squares methods when the objective has no least-squares form: ``ProjectedQuasiNewton`` from
    /// `start`, its counts including the evaluation this run spent finding that out.
    func quasiNewtonFallback(_ objective: O, from start: [Double], options: OptimisationOptions) -> OptimisationResult {
        var fallback = ProjectedQuasiNewton(options: options).minimise(objective, from: start)
        fallback.evaluations += eval.evaluations
        fallback.residualEvaluations += eval.residualEvaluations
        return fallback
    }
}
