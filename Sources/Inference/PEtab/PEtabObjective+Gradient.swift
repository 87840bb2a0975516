import Foundation
import ModelFormats
import Simulation

extension PEtabObjective {
    /// The objective (with priors when `includesPriors`) and its gradient by forward sensitivities.
    ///
    /// Chain rule: `d nll/d x_i = Σ_m (∂ℓ_m/∂h · dh/dx_i + ∂ℓ_m/∂σ · dσ/dx_i)`, where `dh/dx_i` sums the formula's
    /// symbolic partial derivatives times the outputs' sensitivities (by the inputs parameter `i` sets in the
    /// experiment's condition) or times 1 for the parameter itself, all times `d value/d x_i` of the scale.
    /// With preequilibration the steady state's sensitivities start the simulation condition.
    /// - Throws: `PEtabObjectiveError.unsupported` when the objective was built without gradients, or when a
    ///   preequilibration and a simulation condition set an input from different parameters;
    ///   `ExperimentFailure` when a simulation fails.
    func valueAndSensitivityGradient(at x: [Double]) throws -> (Double, [Double]) {
        guard let model = sensitivityModel else {
            throw PEtabObjectiveError.unsupported(feature: "gradient (objective built with computesGradient: false)", context: problem.name)
        }
        let p = tableValues(at: x)
        let base = model.baseOutputCount
        var gradient = [Double](repeating: 0, count: parameterCount)
        let positionOfTableEntry = Dictionary(estimated.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var total = 0.0
        for e in experiments {
            let directions = sensitivityDirections[e.simulation]
            if let pre = e.preequilibration, !sameDirections(sensitivityDirections[pre], directions) {
                throw PEtabObjectiveError.unsupported(
                    feature: "gradient when the preequilibration condition '\(problem.conditions[pre].id)' sets an input from other parameters than the simulation condition '\(problem.conditions[e.simulation].id)'",
                    context: problem.name)
            }
            let run = try simulate(e, p, model: model, stateColumns: sensitivityStateColumns)
            for k in e.terms {
                let term = terms[k]
                let (value, dH, dSigma) = run.withUnsafeRow(term.row) { y -> (Double, [Double], [Double]) in
                    let h = term.observable.evaluate(y, p, term.time)
                    let sigma = term.noise.evaluate(y, p, term.time)
                    let l = PEtabNoise.negativeLogLikelihood(measurement: term.measurement, simulation: h, sigma: sigma,
                                                             transformation: term.transformation, distribution: term.distribution)
                    func total(_ partials: [(slot: ResolvedExpression, derivative: ResolvedExpression)]) -> [Double] {
                        linearDerivatives(partials, row: y, p, time: term.time, directions: directions, base: base,
                                          positionOfTableEntry: positionOfTableEntry)
                    }
                    return (l.value, total(term.observableDerivatives).map { $0 * l.dSimulation },
                            total(term.noiseDerivatives).map { $0 * l.dSigma })
                }
                guard value.isFinite else { return (.infinity, gradient) }
                total += value
                for i in 0..<parameterCount { gradient[i] += dH[i] + dSigma[i] }
            }
        }
        for (i, k) in estimated.enumerated() { gradient[i] *= problem.parameters[k].scale.unscaleDerivative(x[i]) }
        if includesPriors {
            for (i, k) in estimated.enumerated() {
                guard let prior = problem.parameters[k].prior else { continue }
                let (v, d) = prior.negativeLogDensityAndDerivative(scaled: x[i], scale: problem.parameters[k].scale)
                total += v
                gradient[i] += d
            }
        }
        return (total, gradient)
    }

    /// d(expression)/d(linear value of each estimated parameter) at output row `y`: the formula's symbolic
    /// partials times the outputs' sensitivities along the condition's `directions`, or times 1 for a
    /// parameter-table entry itself.
    func linearDerivatives(_ partials: [(slot: ResolvedExpression, derivative: ResolvedExpression)],
                           row y: UnsafeBufferPointer<Double>, _ p: [Double], time: Double,
                           directions: [[(direction: Int, factor: Double)]], base: Int,
                           positionOfTableEntry: [Int: Int]) -> [Double] {
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
