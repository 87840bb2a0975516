import Foundation
import ModelFormats
import Simulation

extension PEtabObjective {
    /// The objective (with priors when `includesPriors`) and its gradient by forward sensitivities.
    /// - Throws: as `sensitivityPass(at:withResiduals:)`.
    func valueAndSensitivityGradient(at x: [Double]) throws -> (Double, [Double]) {
        let pass = try sensitivityPass(at: x, withResiduals: false)
        return (pass.value, pass.gradient)
    }

    /// One simulation of every experiment with the sensitivity model, giving the objective (with priors when
    /// `includesPriors`), its gradient and, with `withResiduals`, the weighted residuals and their Jacobian
    /// (see `residuals(at:jacobian:)`; only meaningful when every noise model is normal). The value is
    /// `.infinity` when a measurement's term is not finite.
    ///
    /// Chain rule: `d nll/d x_i = Σ_m (∂ℓ_m/∂h · dh/dx_i + ∂ℓ_m/∂σ · dσ/dx_i)`, where `dh/dx_i` sums the formula's
    /// symbolic partial derivatives times the outputs' sensitivities (by the inputs parameter `i` sets in the
    /// experiment's condition) or times 1 for the parameter itself, all times `d value/d x_i` of the scale;
    /// `dr/dx = (ψ'(h) dh/dx − r dσ/dx) / σ`. With preequilibration the steady state's sensitivities start the
    /// simulation condition.
    /// - Throws: `PEtabObjectiveError.unsupported` when the objective was built without gradients, or when a
    ///   preequilibration and a simulation condition set an input from different parameters;
    ///   `ExperimentFailure` when a simulation fails.
    func sensitivityPass(at x: [Double], withResiduals: Bool) throws -> LeastSquaresModel {
        evaluatePass(try sensitivityRuns(at: tableValues(at: x)), at: x, withResiduals: withResiduals)
    }

    /// Every experiment simulated with the sensitivity model at parameter-table values `p`.
    /// - Throws: as `sensitivityPass(at:withResiduals:)`.
    func sensitivityRuns(at p: [Double]) throws -> [ExperimentRun] {
        guard let model = sensitivityModel else {
            throw PEtabObjectiveError.unsupported(feature: "gradient (objective built with computesGradient: false)", context: problem.name)
        }
        return try experiments.map { e in
            if let pre = e.preequilibration, !sameDirections(sensitivityDirections[pre], sensitivityDirections[e.simulation]) {
                throw PEtabObjectiveError.unsupported(
                    feature: "gradient when the preequilibration condition '\(problem.conditions[pre].id)' sets an input from other parameters than the simulation condition '\(problem.conditions[e.simulation].id)'",
                    context: problem.name)
            }
            return try simulate(e, p, model: model, stateColumns: sensitivityStateColumns)
        }
    }

    /// The objective, gradient and (with `withResiduals`) residuals and Jacobian at `x` from sensitivity runs of
    /// every experiment (`sensitivityRuns`, made at any point with the same model inputs as `x`).
    func evaluatePass(_ runs: [ExperimentRun], at x: [Double], withResiduals: Bool) -> LeastSquaresModel {
        let p = tableValues(at: x)
        let base = sensitivityModel!.baseOutputCount
        let n = parameterCount
        var pass = LeastSquaresModel(value: 0, gradient: [Double](repeating: 0, count: n), residuals: [], jacobian: [])
        let scales = estimated.enumerated().map { problem.parameters[$1].scale.unscaleDerivative(x[$0]) }
        for (e, run) in zip(experiments, runs) {
            let directions = sensitivityDirections[e.simulation]
            for k in e.terms {
                let term = terms[k]
                let finite = run.withUnsafeRow(term.row) { y -> Bool in
                    let h = term.observable.evaluate(y, p, term.time)
                    let sigma = term.noise.evaluate(y, p, term.time)
                    let l = PEtabNoise.negativeLogLikelihood(measurement: term.measurement, simulation: h, sigma: sigma,
                                                             transformation: term.transformation, distribution: term.distribution)
                    guard l.value.isFinite else { return false }
                    func total(_ partials: [(slot: ResolvedExpression, derivative: ResolvedExpression)]) -> [Double] {
                        linearDerivatives(partials, row: y, p, time: term.time, directions: directions, base: base)
                    }
                    let dh = total(term.observableDerivatives), ds = total(term.noiseDerivatives)
                    pass.value += l.value
                    for i in 0..<n { pass.gradient[i] += dh[i] * l.dSimulation + ds[i] * l.dSigma }
                    if withResiduals {
                        let t = PEtabNoise.transformed(measurement: term.measurement, simulation: h, transformation: term.transformation)
                        let r = (t.psiH - t.psiM) / sigma
                        pass.residuals.append(r)
                        for i in 0..<n { pass.jacobian.append((t.dPsi * dh[i] - r * ds[i]) / sigma * scales[i]) }
                    }
                    return true
                }
                guard finite else {
                    pass.value = .infinity
                    return pass
                }
            }
        }
        for i in 0..<n { pass.gradient[i] *= scales[i] }
        if includesPriors {
            for (i, k) in estimated.enumerated() {
                guard let prior = problem.parameters[k].prior else { continue }
                let (v, d) = prior.negativeLogDensityAndDerivative(scaled: x[i], scale: problem.parameters[k].scale)
                pass.value += v
                pass.gradient[i] += d
            }
        }
        return pass
    }

    /// d(expression)/d(linear value of each estimated parameter) at output row `y`: the formula's symbolic
    /// partials times the outputs' sensitivities along the condition's `directions`, or times 1 for a
    /// parameter-table entry itself.
    func linearDerivatives(_ partials: [(slot: ResolvedExpression, derivative: ResolvedExpression)],
                           row y: UnsafeBufferPointer<Double>, _ p: [Double], time: Double,
                           directions: [[(direction: Int, factor: Double)]], base: Int) -> [Double] {
        var out = [Double](repeating: 0, count: parameterCount)
        for (slot, derivative) in partials {
            let d = derivative.evaluate(y, p, time)
            switch slot {
            case .output(let o):
                for i in 0..<parameterCount {
                    for (q, factor) in directions[i] { out[i] += d * factor * y[base + q * base + o] }
                }
            case .parameter(let j):
                if let i = positionOfTableEntry[j] { out[i] += d }
            default: break
            }
        }
        return out
    }

    func sameDirections(_ a: [[(direction: Int, factor: Double)]], _ b: [[(direction: Int, factor: Double)]]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { u, v in
            u.count == v.count && zip(u, v).allSatisfy { $0.direction == $1.direction && $0.factor == $1.factor }
        }
    }
}
