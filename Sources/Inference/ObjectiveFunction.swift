/// What optimisers, profilers and samplers minimise: a negative log-posterior (or log-likelihood) over
/// parameters on the *optimisation scale* (e.g. log10 of a rate constant), with box bounds on that scale.
///
/// Conformers: the PEtab objective (`PEtabObjective`), a patient twin's MAP objective, and analytic test
/// problems. An evaluation that cannot be computed (a simulation fails, a value is outside the model's
/// domain) returns `.infinity`; callers treat that as a rejected point, never as a crash.
///
/// Implementations must be safe to call from several threads at once (multi-start runs in parallel);
/// keep per-call scratch space local or per-thread.
public protocol ObjectiveFunction: Sendable {
    /// Names of the parameters, in order (e.g. PEtab parameter ids).
    var parameterNames: [String] { get }
    /// Lower bounds on the optimisation scale (finite), one per parameter.
    var lowerBounds: [Double] { get }
    /// Upper bounds on the optimisation scale (finite), one per parameter.
    var upperBounds: [Double] { get }

    /// The objective at `x`; when `gradient` is non-nil it is filled with d objective / d x (same length as x).
    /// Returns `.infinity` (gradient left unspecified) when the objective cannot be evaluated at `x`.
    func value(at x: [Double], gradient: UnsafeMutableBufferPointer<Double>?) -> Double

    /// Weighted residuals for least-squares methods, when the objective is
    /// `0.5 · Σ rᵢ(x)² + c(x)` with every other term `c` known to the conformer; returns nil when the objective
    /// has no such form (optimisers then use `value(at:gradient:)` only). `jacobian`, when non-nil, receives
    /// d r / d x row-major (residuals × parameters) and is resized by the conformer.
    func residuals(at x: [Double], jacobian: UnsafeMutablePointer<[Double]>?) -> [Double]?

    /// The value, gradient, residuals and residual Jacobian at `x` together: what a Gauss–Newton iteration
    /// needs at each accepted point. Conformers whose residuals and gradient come from the same expensive
    /// computation (forward sensitivities) override it to do that computation once; the default calls
    /// `value(at:gradient:)` and `residuals(at:jacobian:)`. nil when the objective has no least-squares form
    /// or cannot be evaluated at `x`.
    func leastSquaresModel(at x: [Double]) -> LeastSquaresModel?
}

/// Everything about a least-squares objective `½ Σ rᵢ² + c` at one point.
public struct LeastSquaresModel: Sendable {
    /// The objective's value.
    public var value: Double
    /// d value / d x.
    public var gradient: [Double]
    /// The residuals rᵢ.
    public var residuals: [Double]
    /// d r / d x, row-major (residuals × parameters).
    public var jacobian: [Double]

    public init(value: Double, gradient: [Double], residuals: [Double], jacobian: [Double]) {
        self.value = value
        self.gradient = gradient
        self.residuals = residuals
        self.jacobian = jacobian
    }

    /// JᵀJ, row-major `parameterCount × parameterCount`: the Gauss–Newton approximation of the Hessian of ½ Σ rᵢ²
    /// (rows of J accumulated in order, so the result is reproducible to the bit).
    /// - Complexity: m·n² multiply–adds for m residuals (rows with zero entries cost less).
    public func gaussNewtonMatrix(parameterCount n: Int) -> [Double] {
        var h = [Double](repeating: 0, count: n * n)
        for r in 0..<(n == 0 ? 0 : jacobian.count / n) {
            let base = r * n
            for i in 0..<n {
                let ji = jacobian[base + i]
                if ji == 0 { continue }
                for j in 0..<n { h[i * n + j] += ji * jacobian[base + j] }
            }
        }
        return h
    }

    /// Whether every number is finite and the Jacobian has `residuals.count × parameterCount` entries.
    public func isValid(parameterCount: Int) -> Bool {
        value.isFinite && gradient.count == parameterCount && gradient.allSatisfy(\.isFinite)
            && jacobian.count == residuals.count * parameterCount && residuals.allSatisfy(\.isFinite)
            && jacobian.allSatisfy(\.isFinite)
    }
}

extension ObjectiveFunction {
    public var parameterCount: Int { parameterNames.count }

    /// Default: not a least-squares objective.
    public func residuals(at x: [Double], jacobian: UnsafeMutablePointer<[Double]>?) -> [Double]? { nil }

    public func leastSquaresModel(at x: [Double]) -> LeastSquaresModel? {
        var jacobian: [Double] = []
        guard let r = residuals(at: x, jacobian: &jacobian) else { return nil }
        let (v, g) = valueAndGradient(at: x)
        return LeastSquaresModel(value: v, gradient: g, residuals: r, jacobian: jacobian)
    }

    /// The objective and its gradient as a pair (gradient entries NaN when the value is infinite).
    public func valueAndGradient(at x: [Double]) -> (value: Double, gradient: [Double]) {
        var g = [Double](repeating: .nan, count: x.count)
        let v = g.withUnsafeMutableBufferPointer { value(at: x, gradient: $0) }
        return (v, g)
    }
}
