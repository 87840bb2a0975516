import Foundation
import Inference
import Simulation

/// The individual (empirical Bayes) objective of a twin: the negative log-posterior of the individual parameters
/// given the patient's observations and the population prior, up to a constant:
///
///     0.5 · Σⱼ ((yⱼ − hⱼ(θ)) / σⱼ)²  +  0.5 · Σᵢ ((θᵢ − μᵢ) / ωᵢ)²
///
/// over θ on the prior's scales. Both sums are residuals, so Gauss–Newton / Levenberg–Marquardt applies. The
/// Jacobian of the model predictions comes from forward sensitivities (the model compiled with d y/d θ states)
/// when the model supports them (simulated at rtol 1e-8), otherwise from central finite differences of the
/// simulation at a step relative to each parameter's prior SD (`relativeStep`·ωᵢ), simulated at rtol 1e-10 so
/// that differencing noise stays below the step's truncation error.
/// A simulation that fails (blow-up, NaN) gives an infinite objective.
public struct TwinObjective: ObjectiveFunction {
    public let model: PatientModel
    public let observations: [PatientObservation]
    /// Distinct observation times (sorted) and, per observation, its row and output column.
    let times: [Double]
    let rows: [Int]
    let columns: [Int]
    let sds: [Double]
    public private(set) var options: SolverOptions
    public let relativeStep: Double

    /// Solver settings for simulating posterior draws (forecasts, rankings, importance weights): 1e-7 relative
    /// error is far below the spread of any posterior, while the MAP fit itself runs at `options` (1e-10).
    public static let drawOptions = SolverOptions(relativeTolerance: 1e-7, absoluteTolerance: 1e-10)

    /// The same objective simulated with other solver settings.
    public func with(options: SolverOptions) -> TwinObjective {
        var copy = self
        copy.options = options
        return copy
    }

    public var parameterNames: [String] { model.prior.parameters.map(\.id) }
    public var lowerBounds: [Double] { model.prior.parameters.map(\.lower) }
    public var upperBounds: [Double] { model.prior.parameters.map(\.upper) }

    /// - Throws: `TwinError.invalidData` for an observation of an unknown observable, a non-finite value or time,
    ///   a time before the model's start (0), or one with neither its own SD nor an error-model SD.
    public init(model: PatientModel, observations: [PatientObservation],
                options: SolverOptions? = nil, relativeStep: Double = 1e-4) throws {
        self.model = model
        self.observations = observations
        // exact (sensitivity) Jacobians need only ordinary accuracy; finite differences need a tight tolerance
        self.options = options ?? (model.sensitivities != nil ? SolverOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10)
                                                              : SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
        self.relativeStep = relativeStep
        let sortedTimes = Array(Set(observations.map(\.time))).sorted()
        times = sortedTimes
        var rows: [Int] = [], columns: [Int] = [], sds: [Double] = []
        for o in observations {
            guard let c = model.observables.firstIndex(of: o.observable) else {
                throw TwinError.invalidData("\(o.source): unknown observable \(o.observable); \(model.name) has \(model.observables.joined(separator: ", "))")
            }
            guard o.time.isFinite, o.time >= 0, o.value.isFinite else {
                throw TwinError.invalidData("\(o.source): time must be finite and ≥ 0 and value finite")
            }
            guard let sd = o.sd ?? model.prior.errorSD(for: o.observable), sd > 0 else {
                throw TwinError.invalidData("\(o.source): no SD for \(o.observable) (give an sd column or an error model)")
            }
            rows.append(sortedTimes.firstIndex(of: o.time)!)
            columns.append(c)
            sds.append(sd)
        }
        self.rows = rows
        self.columns = columns
        self.sds = sds
    }

    /// The time of the last observation (0 without observations): the horizon of the objective's simulations.
    public var lastObservationTime: Double { times.last ?? 0 }

    /// Model predictions of each observation at scaled parameters `x`, or nil when the simulation fails.
    public func predictions(at x: [Double]) -> [Double]? {
        guard !times.isEmpty else { return [] }
        guard let result = try? model.problem(at: x, times: times).solve(options), result.status.isSuccess else { return nil }
        var h = [Double](repeating: 0, count: observations.count)
        for j in h.indices {
            h[j] = result[rows[j], columns[j]]
            if !h[j].isFinite { return nil }
        }
        return h
    }

    /// Why the predictions at `x` cannot be computed (the simulation's status, or the first non-finite
    /// prediction), or nil when they can.
    public func failureReason(at x: [Double]) -> String? {
        guard !times.isEmpty else { return nil }
        do {
            let result = try model.problem(at: x, times: times).solve(options)
            guard result.status.isSuccess else { return "simulation: \(result.status)" }
            for j in observations.indices where !result[rows[j], columns[j]].isFinite {
                return "\(observations[j].observable) at time \(observations[j].time) is \(result[rows[j], columns[j]])"
            }
            return nil
        } catch {
            return "\(error)"
        }
    }

    public func residuals(at x: [Double], jacobian: UnsafeMutablePointer<[Double]>?) -> [Double]? {
        let m = observations.count, p = x.count
        guard let h = predictions(at: x) else {
            jacobian?.pointee = [Double](repeating: .nan, count: (m + p) * p)
            return [Double](repeating: .infinity, count: m + p)
        }
        var r = [Double](repeating: 0, count: m + p)
        for j in 0..<m { r[j] = (observations[j].value - h[j]) / sds[j] }
        let prior = model.prior.parameters
        for i in 0..<p { r[m + i] = (x[i] - prior[i].mean) / prior[i].sd }
        if let jacobian, let J = sensitivityJacobian(at: x) {
            jacobian.pointee = J
        } else if let jacobian {
            var J = [Double](repeating: 0, count: (m + p) * p)
            for i in 0..<p {
                let step = relativeStep * prior[i].sd
                var xp = x, xm = x
                xp[i] += step
                xm[i] -= step
                guard let hp = predictions(at: xp), let hm = predictions(at: xm) else {
                    jacobian.pointee = [Double](repeating: .nan, count: (m + p) * p)
                    return r
                }
                // r = (y − h)/σ, so dr/dθ = −(dh/dθ)/σ
                for j in 0..<m { J[j * p + i] = -(hp[j] - hm[j]) / (2 * step) / sds[j] }
                J[(m + i) * p + i] = 1 / prior[i].sd
            }
            jacobian.pointee = J
        }
        return r
    }

    /// The residual Jacobian from forward sensitivities (one simulation of the augmented model), or nil when the
    /// model has no sensitivity compilation or the run fails. d r_j / d x_i = −(∂h_j/∂θ_i)·(dθ_i/dx_i)/σ_j with
    /// dθ/dx = θ on the log scale and 1 on the linear one.
    func sensitivityJacobian(at x: [Double]) -> [Double]? {
        guard let s = model.sensitivities, !times.isEmpty else { return nil }
        guard let run = try? model.problem(at: x, times: times, sensitivities: true).solve(options), run.status.isSuccess else { return nil }
        let m = observations.count, p = x.count, base = s.baseOutputCount
        var J = [Double](repeating: 0, count: (m + p) * p)
        let prior = model.prior.parameters
        for i in 0..<p {
            let chain = prior[i].scale == .log ? exp(x[i]) : 1
            for j in 0..<m {
                let d = run[rows[j], base + i * base + columns[j]]
                guard d.isFinite else { return nil }
                J[j * p + i] = -d * chain / sds[j]
            }
            J[(m + i) * p + i] = 1 / prior[i].sd
        }
        return J
    }

    /// Value `½ Σ r²`, gradient `Jᵀr`, residuals and Jacobian from one `residuals(at:jacobian:)` call (one
    /// sensitivity simulation, or finite differences for models without a sensitivity compilation).
    public func leastSquaresModel(at x: [Double]) -> LeastSquaresModel? {
        var J: [Double] = []
        guard let r = residuals(at: x, jacobian: &J), r.allSatisfy(\.isFinite) else { return nil }
        let p = x.count
        var gradient = [Double](repeating: 0, count: p)
        for i in 0..<p {
            for k in r.indices { gradient[i] += J[k * p + i] * r[k] }
        }
        return LeastSquaresModel(value: 0.5 * r.reduce(0) { $0 + $1 * $1 }, gradient: gradient, residuals: r, jacobian: J)
    }

    public func value(at x: [Double], gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        guard let gradient else {
            guard let r = residuals(at: x, jacobian: nil), r.allSatisfy(\.isFinite) else { return .infinity }
            return 0.5 * r.reduce(0) { $0 + $1 * $1 }
        }
        guard let model = leastSquaresModel(at: x) else { return .infinity }
        for i in model.gradient.indices { gradient[i] = model.gradient[i] }
        return model.value
    }
}
