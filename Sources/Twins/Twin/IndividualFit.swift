import Foundation
import Inference
import LinearAlgebra

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

/// Finds the MAP estimate with the bounded trust-region least-squares method of `Inference`
/// (`TrustRegionLeastSquares`: projected Levenberg–Marquardt; trial points judged by a plain simulation,
/// the residual Jacobian from one sensitivity simulation per accepted step) on the twin's residuals (bounds
/// from the prior), then forms the Laplace covariance from the Gauss–Newton Hessian at the mode.
///
/// Convergence: `TrustRegionLeastSquares`'s tests (projected-gradient max-norm below `gradientTolerance`, a
/// relative decrease below `functionTolerance`, or a step below `stepTolerance`). The starting point is
/// `start` (e.g. the previous posterior's mode: a warm start) or the prior mean.
public enum IndividualFit {
    public static func map(_ given: TwinObjective, start: [Double]? = nil, maxIterations: Int = 100,
                           functionTolerance: Double = 1e-10, gradientTolerance: Double = 1e-6,
                           stepTolerance: Double = 1e-9) throws -> LaplacePosterior {
        let lower = given.lowerBounds, upper = given.upperBounds
        let p = lower.count
        let x0 = (start ?? given.model.priorMean).enumerated().map { min(max($1, lower[$0]), upper[$0]) }
        // the solver method by a pilot run at the start (Rodas5P directly for models whose stiffness `auto` detects late)
        let objective = given.with(options: given.model.drawOptions(at: x0, horizon: given.lastObservationTime,
                                                                    base: given.options))
        guard let r0 = objective.residuals(at: x0, jacobian: nil), r0.allSatisfy(\.isFinite) else {
            let point = zip(objective.parameterNames, x0).map { "\($0)=\($1)" }.joined(separator: ", ")
            let reason = objective.failureReason(at: x0) ?? "the residuals are not finite"
            throw TwinError.fitFailed("at the starting parameters (\(point)): \(reason)")
        }
        let options = OptimisationOptions(gradientTolerance: gradientTolerance, functionTolerance: functionTolerance,
                                          stepTolerance: stepTolerance, maxIterations: maxIterations)
        let result = TrustRegionLeastSquares(options: options).minimise(objective, from: x0)
        guard result.value.isFinite, let mode = objective.leastSquaresModel(at: result.x),
              mode.isValid(parameterCount: p) else {
            throw TwinError.fitFailed("the residual Jacobian cannot be computed at the starting parameters or the mode")
        }
        guard let chol = try? CholeskyFactor(mode.gaussNewtonMatrix(parameterCount: p), size: p) else {
            throw TwinError.fitFailed("the Hessian at the mode is not positive definite")
        }
        return LaplacePosterior(parameterIds: objective.parameterNames, mode: result.x, covariance: chol.inverse(),
                                objective: result.value, iterations: result.iterations,
                                converged: result.exit.isConverged)
    }
}
