import ModelFormats

/// A PEtab objective with its observable scaling factors solved in closed form (hierarchical optimisation,
/// Loos et al., Bioinformatics 34, 2018, doi:10.1093/bioinformatics/bty514; Weber et al. 2011): the optimiser
/// sees only the other ("outer") parameters, and each scaling factor takes its optimal value given the
/// simulation at those parameters.
///
/// A parameter is a **scaling factor** when it is estimated, has no prior, sets no model input (it is not a
/// model parameter and no condition uses it), appears in no noise formula, and every observable that uses it is
/// `s · u` with `u` free of s (a product chain, see `ResolvedExpression.isProportional(toParameter:)`) under a
/// `lin` transformation with normal noise, sharing no measurement with another scaling factor. Then the
/// objective is quadratic in s, `½ Σₜ ((s·uₜ − mₜ)/σₜ)² + const`, and its minimum within the bounds is
/// `s* = clamp(Σ uₜmₜ/σₜ² / Σ uₜ²/σₜ², lower, upper)` on the linear scale (s stays at the bound nearest 1 when
/// no measurement constrains it).
///
/// The objective value at outer x is the full objective at (x, s*(x)), so values, optima and convergence
/// statistics are those of the original problem. Its gradient is the full gradient's outer part (at s* the
/// objective is stationary in each free s, or s is held at a bound). The residual Jacobian is the variable-projection
/// Jacobian of Kaufman (BIT 15, 1975): each outer column minus its projection on the column of each free scaling
/// factor, which is exact to first order for the reduced problem's Gauss–Newton model.
///
/// - Complexity: the simulations of `PEtabObjective` at outer x (scaling factors are not model inputs, so they
///   cost no simulation), plus O(measurements) to solve for them.
public final class HierarchicalPEtabObjective: ObjectiveFunction {
    /// The problem's objective over every estimated parameter.
    public let full: PEtabObjective
    public let parameterNames: [String]
    public let lowerBounds: [Double]
    public let upperBounds: [Double]
    /// Position in `full.parameterNames` of each outer parameter.
    let outer: [Int]
    let scalings: [AnalyticScaling]
    /// For each of `full.terms`, the index in `scalings` of the factor that scales it, or −1.
    let scalingOfTerm: [Int]

    /// One scaling factor: its position among `full`'s estimated parameters, parameter-table entry, and the
    /// measurements (indices into `full.terms`) whose observable it scales.
    struct AnalyticScaling {
        var position: Int
        var tableEntry: Int
        var terms: [Int]
    }

    /// Splits `full`'s estimated parameters into scaling factors (solved in closed form) and outer parameters.
    public init(_ full: PEtabObjective) {
        self.full = full
        let scalings = HierarchicalPEtabObjective.findScalings(full)
        self.scalings = scalings
        var scalingOfTerm = [Int](repeating: -1, count: full.terms.count)
        for (c, s) in scalings.enumerated() { for k in s.terms { scalingOfTerm[k] = c } }
        self.scalingOfTerm = scalingOfTerm
        let inner = Set(scalings.map(\.position))
        outer = full.parameterNames.indices.filter { !inner.contains($0) }
        parameterNames = outer.map { full.parameterNames[$0] }
        lowerBounds = outer.map { full.lowerBounds[$0] }
        upperBounds = outer.map { full.upperBounds[$0] }
    }

    /// The ids of the parameters solved in closed form.
    public var scalingParameterNames: [String] { scalings.map { full.parameterNames[$0.position] } }

    /// The outer parameters of `point`, a point over every estimated parameter of `full` (its scaling factors
    /// are dropped: they are solved for).
    public func outerPoint(_ point: [Double]) -> [Double] {
        precondition(point.count == full.parameterCount, "expected \(full.parameterCount) parameters, got \(point.count)")
        return outer.map { point[$0] }
    }

    /// Every estimated parameter of `full` at outer point `x`, the scaling factors at their optimum; nil when a
    /// simulation fails.
    public func fullPoint(_ x: [Double]) -> [Double]? {
        plainRuns(at: x)?.point
    }

    private func plainRuns(at x: [Double]) -> (point: [Double], runs: [ExperimentRun])? {
        let start = embed(x)
        let p = full.tableValues(at: start)
        guard let runs = try? full.experiments.map({ try full.simulate($0, p) }) else { return nil }
        return (optimised(start, runs), runs)
    }

    public func value(at x: [Double], gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        if let gradient {
            guard let model = full.hasLeastSquaresForm ? leastSquaresModel(at: x) : gradientOnly(at: x) else { return .infinity }
            for i in 0..<gradient.count { gradient[i] = model.gradient[i] }
            return model.value
        }
        guard let (point, runs) = plainRuns(at: x) else { return .infinity }
        let nll = full.negativeLogLikelihood(runs, tableValues: full.tableValues(at: point))
        return full.includesPriors ? nll + full.priorNegativeLogDensity(at: point) : nll
    }

    public func residuals(at x: [Double], jacobian: UnsafeMutablePointer<[Double]>?) -> [Double]? {
        guard let model = leastSquaresModel(at: x) else { return nil }
        jacobian?.pointee = model.jacobian
        return model.residuals
    }

    /// One sensitivity simulation of every experiment: the scaling factors solved from it, then the full pass
    /// reduced to the outer parameters (see the type's description).
    public func leastSquaresModel(at x: [Double]) -> LeastSquaresModel? {
        guard full.hasLeastSquaresForm, let (point, pass) = sensitivityPass(at: x, withResiduals: true),
              pass.isValid(parameterCount: full.parameterCount) else { return nil }
        let n = full.parameterCount, m = pass.residuals.count
        var jacobian = [Double](repeating: 0, count: m * outer.count)
        for r in 0..<m { for (j, i) in outer.enumerated() { jacobian[r * outer.count + j] = pass.jacobian[r * n + i] } }
        for s in scalings where isFree(s, point) {
            var cc = 0.0
            for r in 0..<m { cc += pass.jacobian[r * n + s.position] * pass.jacobian[r * n + s.position] }
            guard cc > 0 else { continue }
            for j in outer.indices {
                var cj = 0.0
                for r in 0..<m { cj += pass.jacobian[r * n + s.position] * jacobian[r * outer.count + j] }
                let f = cj / cc
                for r in 0..<m { jacobian[r * outer.count + j] -= f * pass.jacobian[r * n + s.position] }
            }
        }
        return LeastSquaresModel(value: pass.value, gradient: outer.map { pass.gradient[$0] }, residuals: pass.residuals,
                                 jacobian: jacobian)
    }

    /// Value and gradient when the objective has no least-squares form (some noise is not normal).
    private func gradientOnly(at x: [Double]) -> LeastSquaresModel? {
        guard let (_, pass) = sensitivityPass(at: x, withResiduals: false), pass.value.isFinite else { return nil }
        return LeastSquaresModel(value: pass.value, gradient: outer.map { pass.gradient[$0] }, residuals: [], jacobian: [])
    }

    private func sensitivityPass(at x: [Double], withResiduals: Bool) -> (point: [Double], pass: LeastSquaresModel)? {
        let start = embed(x)
        guard let runs = try? full.sensitivityRuns(at: full.tableValues(at: start)) else { return nil }
        let point = optimised(start, runs)
        return (point, full.evaluatePass(runs, at: point, withResiduals: withResiduals))
    }

    /// The full point with the outer parameters from `x` and each scaling factor at 1 (or the bound nearest 1).
    func embed(_ x: [Double]) -> [Double] {
        var point = [Double](repeating: 0, count: full.parameterCount)
        for (j, i) in outer.enumerated() { point[i] = x[j] }
        for s in scalings { point[s.position] = scaled(1, s) }
        return point
    }

    /// `point` with each scaling factor at its optimum for the outputs in `runs` (simulated at `point`'s inputs).
    private func optimised(_ point: [Double], _ runs: [ExperimentRun]) -> [Double] {
        var result = point
        var p = full.tableValues(at: point)
        for s in scalings { p[s.tableEntry] = 1 }
        var numerator = [Double](repeating: 0, count: scalings.count), denominator = numerator
        for (experiment, run) in zip(full.experiments, runs) {
            for k in experiment.terms {
                let c = scalingOfTerm[k]
                guard c >= 0 else { continue }
                let term = full.terms[k]
                run.withUnsafeRow(term.row) { y in
                    let u = term.observable.evaluate(y, p, term.time), sigma = term.noise.evaluate(y, p, term.time)
                    let w = 1 / (sigma * sigma)
                    numerator[c] += u * term.measurement * w
                    denominator[c] += u * u * w
                }
            }
        }
        for (c, s) in scalings.enumerated() {
            let optimum = numerator[c] / denominator[c]
            result[s.position] = optimum.isFinite && denominator[c] > 0 ? scaled(optimum, s) : scaled(1, s)
        }
        return result
    }

    /// Linear value `v` clamped to the scaling factor's bounds, on its parameter scale.
    private func scaled(_ v: Double, _ s: AnalyticScaling) -> Double {
        let parameter = full.problem.parameters[s.tableEntry]
        return parameter.scale.scale(min(max(v, parameter.lowerBound), parameter.upperBound))
    }

    /// Whether the scaling factor is strictly inside its bounds at `point` (not held at a bound).
    private func isFree(_ s: AnalyticScaling, _ point: [Double]) -> Bool {
        point[s.position] > full.lowerBounds[s.position] && point[s.position] < full.upperBounds[s.position]
    }

    /// The scaling factors of `full` (see the type's description).
    static func findScalings(_ full: PEtabObjective) -> [AnalyticScaling] {
        let inputs = Set(full.conditionInputs.joined().compactMap { a -> Int? in
            if case .parameter(let k) = a.source { return k }
            return nil
        })
        let inNoise = full.terms.reduce(into: Set<Int>()) { $0.formUnion($1.noise.referencedParameters) }
        var candidates: [AnalyticScaling] = []
        for (position, k) in full.estimated.enumerated() {
            guard full.problem.parameters[k].prior == nil, !inputs.contains(k), !inNoise.contains(k) else { continue }
            let using = full.terms.indices.filter { full.terms[$0].observable.referencedParameters.contains(k) }
            guard !using.isEmpty, using.allSatisfy({ i in
                let t = full.terms[i]
                return t.transformation == .lin && t.distribution == .normal && t.observable.isProportional(toParameter: k)
            }) else { continue }
            candidates.append(AnalyticScaling(position: position, tableEntry: k, terms: using))
        }
        // A measurement scaled by two candidates is not linear in either alone.
        var count: [Int: Int] = [:]
        for c in candidates { for t in c.terms { count[t, default: 0] += 1 } }
        return candidates.filter { c in c.terms.allSatisfy { count[$0] == 1 } }
    }
}

extension HierarchicalPEtabObjective {
    /// `fits` of this objective restated over every estimated parameter of `full`: each start and end point
    /// with its scaling factors at their optimum (a failed start keeps NaN there), values unchanged, so the
    /// outputs, profiles and samplers of the full problem can use them.
    /// - Complexity: two plain simulations of every experiment per start.
    public func expand(_ fits: MultiStartResult) -> MultiStartResult {
        let runs = fits.runs.map { run -> StartRun in
            var run = run
            run.result.start = fullPoint(run.result.start) ?? embedWithNaN(run.result.start)
            run.result.x = fullPoint(run.result.x) ?? embedWithNaN(run.result.x)
            return run
        }
        return MultiStartResult(runs: runs, parameterNames: full.parameterNames, seed: fits.seed, wallSeconds: fits.wallSeconds)
    }

    private func embedWithNaN(_ x: [Double]) -> [Double] {
        var point = embed(x)
        for s in scalings { point[s.position] = .nan }
        return point
    }
}
