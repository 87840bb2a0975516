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
}

extension ObjectiveFunction {
    public var parameterCount: Int { parameterNames.count }

    /// Default: not a least-squares objective.
    public func residuals(at x: [Double], jacobian: UnsafeMutablePointer<[Double]>?) -> [Double]? { nil }

    /// The objective and its gradient as a pair (gradient entries NaN when the value is infinite).
    public func valueAndGradient(at x: [Double]) -> (value: Double, gradient: [Double]) {
        var g = [Double](repeating: .nan, count: x.count)
        let v = g.withUnsafeMutableBufferPointer { value(at: x, gradient: $0) }
        return (v, g)
    }
}
