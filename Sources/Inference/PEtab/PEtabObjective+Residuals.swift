import Foundation
import ModelFormats
import Simulation

extension PEtabObjective {
    /// Weighted residuals `rₘ = (ψ(hₘ) − ψ(mₘ)) / σₘ` of every measurement (experiments in order, then their
    /// measurements), so that the objective is `½ Σ rₘ² + c` with `c = Σ ½ log(2π σₘ² Jₘ²)` plus the priors;
    /// nil when a measurement has Laplace noise (no least-squares form) or a simulation fails.
    ///
    /// The Jacobian (row-major, measurements × estimated parameters, by the parameters on their scales) is
    /// `dr/dx = (ψ'(h) dh/dx − r dσ/dx) / σ` from the same forward sensitivities as the gradient; it needs an
    /// objective built with `computesGradient` (nil otherwise). With residuals, `TrustRegionLeastSquares`
    /// runs Gauss–Newton on PEtab problems instead of falling back to quasi-Newton.
    public func residuals(at x: [Double], jacobian: UnsafeMutablePointer<[Double]>?) -> [Double]? {
        precondition(x.count == parameterCount, "expected \(parameterCount) parameters, got \(x.count)")
        guard hasLeastSquaresForm else { return nil }
        guard let jacobian else { return plainResiduals(at: x) }
        guard let pass = try? sensitivityPass(at: x, withResiduals: true), pass.value.isFinite,
              pass.residuals.allSatisfy(\.isFinite), pass.jacobian.allSatisfy(\.isFinite) else { return nil }
        jacobian.pointee = pass.jacobian
        return pass.residuals
    }

    /// The residuals from plain simulations (no sensitivities); nil when a simulation fails or one is not finite.
    private func plainResiduals(at x: [Double]) -> [Double]? {
        let p = tableValues(at: x)
        func residual(_ term: MeasurementTerm, _ y: UnsafeBufferPointer<Double>) -> Double {
            let h = term.observable.evaluate(y, p, term.time)
            let sigma = term.noise.evaluate(y, p, term.time)
            let t = PEtabNoise.transformed(measurement: term.measurement, simulation: h, transformation: term.transformation)
            return (t.psiH - t.psiM) / sigma
        }
        var r: [Double] = []
        for e in experiments {
            guard let run = try? simulate(e, p) else { return nil }
            for k in e.terms { r.append(run.withUnsafeRow(terms[k].row) { residual(terms[k], $0) }) }
        }
        return r.allSatisfy(\.isFinite) ? r : nil
    }

    /// Value, gradient, residuals and Jacobian from one sensitivity simulation of every experiment; nil when a
    /// measurement has Laplace noise, the objective has no gradients, or a simulation fails.
    public func leastSquaresModel(at x: [Double]) -> LeastSquaresModel? {
        precondition(x.count == parameterCount, "expected \(parameterCount) parameters, got \(x.count)")
        guard hasLeastSquaresForm, let pass = try? sensitivityPass(at: x, withResiduals: true), pass.isValid(parameterCount: parameterCount)
        else { return nil }
        return pass
    }
}
