import Foundation
import ModelFormats

extension MeasurementTerm {
    /// This measurement's negative log-likelihood given the output row `y` and parameter-table values `p`.
    func negativeLogLikelihood(_ y: UnsafeBufferPointer<Double>, _ p: [Double]) -> Double {
        let h = observable.evaluate(y, p, time)
        let sigma = noise.evaluate(y, p, time)
        return PEtabNoise.negativeLogLikelihood(measurement: measurement, simulation: h, sigma: sigma,
                                                transformation: transformation, distribution: distribution).value
    }
}

/// The PEtab noise models (`petab.calculate_single_llh`, negated) and their partial derivatives.
enum PEtabNoise {
    /// The term and its derivatives by the simulated value `h` and by `σ`.
    static func negativeLogLikelihood(measurement m: Double, simulation h: Double, sigma: Double,
                                      transformation: PEtabTransformation, distribution: PEtabNoiseDistribution)
        -> (value: Double, dSimulation: Double, dSigma: Double) {
        let (psiH, psiM, dPsi, jacobian) = transformed(measurement: m, simulation: h, transformation: transformation)
        let r = (psiH - psiM) / sigma
        switch distribution {
        case .normal:
            let value = 0.5 * log(2 * Double.pi * sigma * sigma * jacobian * jacobian) + 0.5 * r * r
            return (value, r / sigma * dPsi, 1 / sigma - r * r / sigma)
        case .laplace:
            let sign: Double = r > 0 ? 1 : (r < 0 ? -1 : 0)
            let value = log(2 * sigma * jacobian) + abs(r)
            return (value, sign / sigma * dPsi, 1 / sigma - abs(r) / sigma)
        }
    }

    /// ψ(h), ψ(m), ψ'(h) and the Jacobian J of the transformation at the measurement.
    static func transformed(measurement m: Double, simulation h: Double, transformation: PEtabTransformation)
        -> (psiH: Double, psiM: Double, dPsi: Double, jacobian: Double) {
        switch transformation {
        case .lin: (h, m, 1, 1)
        case .log: (log(h), log(m), 1 / h, m)
        case .log10: (log10(h), log10(m), 1 / (h * log(10)), m * log(10))
        }
    }
}

extension PEtabPrior {
    /// The negative log-density at a parameter whose value on `scale` is `x`, and its derivative by `x`.
    ///
    /// `parameterScale…` priors are densities of `x`; the others are densities of the linear value
    /// `v = scale.unscale(x)` (no change-of-variables term, as in PEtab's objective priors).
    public func negativeLogDensity(scaled x: Double, scale: PEtabScale) -> Double {
        negativeLogDensityAndDerivative(scaled: x, scale: scale).value
    }

    func negativeLogDensityAndDerivative(scaled x: Double, scale: PEtabScale) -> (value: Double, derivative: Double) {
        let (a, b) = parameters
        let onScale: Bool
        switch kind {
        case .parameterScaleUniform, .parameterScaleNormal, .parameterScaleLaplace: onScale = true
        default: onScale = false
        }
        let v = onScale ? x : scale.unscale(x)
        let dv = onScale ? 1 : scale.unscaleDerivative(x)
        switch kind {
        case .uniform, .parameterScaleUniform:
            return (v >= a && v <= b) ? (log(b - a), 0) : (.infinity, 0)
        case .normal, .parameterScaleNormal:
            let z = (v - a) / b
            return (0.5 * log(2 * Double.pi * b * b) + 0.5 * z * z, z / b * dv)
        case .laplace, .parameterScaleLaplace:
            let z = (v - a) / b
            return (log(2 * b) + abs(z), (z > 0 ? 1 : (z < 0 ? -1 : 0)) / b * dv)
        case .logNormal:
            let z = (log(v) - a) / b
            return (log(v) + 0.5 * log(2 * Double.pi * b * b) + 0.5 * z * z, (1 + z / b) / v * dv)
        case .logLaplace:
            let z = (log(v) - a) / b
            return (log(v) + log(2 * b) + abs(z), (1 + (z > 0 ? 1 : (z < 0 ? -1 : 0)) / b) / v * dv)
        }
    }
}
