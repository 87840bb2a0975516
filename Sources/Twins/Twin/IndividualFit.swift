import Foundation
import Inference

/// The empirical-Bayes posterior of one patient's individual parameters under the Laplace approximation:
/// the MAP estimate θ̂ and the covariance Σ = (JᵀJ)⁻¹ of the Gauss–Newton Hessian at θ̂ (J: Jacobian of the
/// weighted residuals including the prior rows), on the prior's scales.
public struct LaplacePosterior: Codable, Hashable, Sendable {
    public var parameterIds: [String]
    public var mode: [Double]
    /// Row-major covariance on the scales.
    public var covariance: [Double]
    /// The objective (negative log-posterior up to a constant) at the mode.
    public var objective: Double
    public var iterations: Int
    /// Whether the optimiser met its convergence test (otherwise the best point found is reported).
    public var converged: Bool

    /// Marginal posterior SD of each parameter on its scale.
    public var standardDeviations: [Double] {
        let n = mode.count
        return (0..<n).map { covariance[$0 * n + $0].squareRoot() }
    }
}

/// Finds the MAP estimate by a projected Levenberg–Marquardt iteration on the twin's residuals (bounds from the
/// prior), then forms the Laplace covariance.
///
/// Convergence: the relative decrease of the objective below `functionTolerance` on an accepted step together
/// with a projected-gradient infinity norm below `gradientTolerance`, or a step below `stepTolerance` (relative to
/// the prior SD). The starting point is `start` (e.g. the previous posterior's mode: a warm start) or the
/// prior mean.
public enum IndividualFit {
    public static func map(_ given: TwinObjective, start: [Double]? = nil, maxIterations: Int = 100,
                           functionTolerance: Double = 1e-10, gradientTolerance: Double = 1e-6,
                           stepTolerance: Double = 1e-9) throws -> LaplacePosterior {
        let lower = given.lowerBounds, upper = given.upperBounds
        let p = lower.count
        var x = (start ?? given.model.priorMean).enumerated().map { min(max($1, lower[$0]), upper[$0]) }
        // the solver method by a pilot run at the start (RODAS4 directly for models whose stiffness `auto` detects late)
        let objective = given.with(options: given.model.drawOptions(at: x, horizon: given.lastObservationTime,
                                                                    base: given.options))
        var J: [Double] = []
        guard var r = withUnsafeMutablePointer(to: &J, { objective.residuals(at: x, jacobian: $0) }),
              r.allSatisfy(\.isFinite), J.allSatisfy(\.isFinite) else {
            let point = zip(objective.parameterNames, x).map { "\($0)=\($1)" }.joined(separator: ", ")
            let reason = objective.failureReason(at: x) ?? "a finite-difference neighbour of the start fails to simulate"
            throw TwinError.fitFailed("at the starting parameters (\(point)): \(reason)")
        }
        var f = 0.5 * r.reduce(0) { $0 + $1 * $1 }
        var lambda = 1e-3
        var converged = false
        var iterations = 0
        let m = r.count
        while iterations < maxIterations {
            iterations += 1
            // normal equations (JᵀJ + λ diag(JᵀJ)) δ = −Jᵀr
            var JtJ = [Double](repeating: 0, count: p * p), g = [Double](repeating: 0, count: p)
            for k in 0..<m {
                for i in 0..<p {
                    let jki = J[k * p + i]
                    g[i] += jki * r[k]
                    for j in 0...i { JtJ[i * p + j] += jki * J[k * p + j] }
                }
            }
            for i in 0..<p { for j in 0..<i { JtJ[j * p + i] = JtJ[i * p + j] } }
            // projected gradient: zero components that push against an active bound
            let projected = (0..<p).map { i -> Double in
                if x[i] <= lower[i] && g[i] > 0 { return 0 }
                if x[i] >= upper[i] && g[i] < 0 { return 0 }
                return g[i]
            }
            if projected.map(abs).max() ?? 0 < gradientTolerance {
                converged = true
                break
            }
            var accepted = false
            for _ in 0..<30 {
                var A = JtJ
                for i in 0..<p { A[i * p + i] += lambda * max(JtJ[i * p + i], 1e-12) }
                guard let chol = Cholesky(A, n: p) else { lambda *= 10; continue }
                let delta = chol.solve(g.map { -$0 })
                let candidate = (0..<p).map { min(max(x[$0] + delta[$0], lower[$0]), upper[$0]) }
                var Jc: [Double] = []
                guard let rc = withUnsafeMutablePointer(to: &Jc, { objective.residuals(at: candidate, jacobian: $0) }),
                      rc.allSatisfy(\.isFinite), Jc.allSatisfy(\.isFinite) else {
                    lambda *= 10
                    continue
                }
                let fc = 0.5 * rc.reduce(0) { $0 + $1 * $1 }
                if fc <= f {
                    let stepSize = (0..<p).map { abs(candidate[$0] - x[$0]) / objective.model.prior.parameters[$0].sd }.max() ?? 0
                    let decrease = (f - fc) / max(f, 1e-300)
                    x = candidate
                    r = rc
                    J = Jc
                    f = fc
                    lambda = max(lambda / 3, 1e-12)
                    accepted = true
                    if decrease < functionTolerance || stepSize < stepTolerance { converged = true }
                    break
                }
                lambda *= 4
            }
            if !accepted || converged { break }
        }
        var H = [Double](repeating: 0, count: p * p)
        for k in 0..<m { for i in 0..<p { for j in 0..<p { H[i * p + j] += J[k * p + i] * J[k * p + j] } } }
        guard let chol = Cholesky(H, n: p) else {
            throw TwinError.fitFailed("the Hessian at the mode is not positive definite")
        }
        return LaplacePosterior(parameterIds: objective.parameterNames, mode: x, covariance: chol.inverse(),
                                objective: f, iterations: iterations, converged: converged)
    }
}
