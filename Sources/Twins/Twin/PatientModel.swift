import Foundation
import ModelIR
import ModelLibrary
import Simulation

/// A library model compiled for a twin: its observables are outputs, its individual parameters are inputs.
///
/// Observables (the library entry's formulas, e.g. `log10_viral_load = log10(V) - log10vx`) are added to the
/// model as assignment rules before compiling, so they are evaluated by the same bytecode as the dynamics.
public struct PatientModel: Sendable {
    public let name: String
    public let compiled: CompiledModel
    /// The same model with forward sensitivities of every output by every individual parameter (model scale),
    /// for exact residual Jacobians; nil when the model has constructs sensitivities do not support (events,
    /// `delay`), in which case Jacobians are finite differences.
    public let sensitivities: CompiledModel?
    /// The observable ids, in output-column order.
    public let observables: [String]
    /// Input slot of each individual parameter of the prior, in prior order.
    public let parameterSlots: [Int]
    public let prior: TwinPrior
    /// Treatment inputs the model declares (settable by regimens), from the library entry.
    public let treatmentInputs: [String]
    public let timeUnit: String

    public init(prior: TwinPrior) throws {
        let entry = try ModelLibrary.entry(named: prior.model)
        var model = try ModelLibrary.model(named: prior.model)
        let existing = Set(model.species.map(\.id) + model.parameters.map(\.id) + model.compartments.map(\.id))
        for o in entry.observables {
            guard !existing.contains(o.id) else {
                throw TwinError.invalidPrior("observable \(o.id) of \(prior.model) clashes with a model symbol")
            }
            model.parameters.append(Parameter(id: o.id, value: nil, constant: false))
            model.rules.append(.assignment(variable: o.id, math: try ExpressionParser.parse(o.expression)))
        }
        observables = entry.observables.map(\.id)
        let compiled = try CompiledModel(model, outputs: entry.observables.map { .value($0.id) })
        self.compiled = compiled
        sensitivities = try? CompiledModel(model, outputs: entry.observables.map { .value($0.id) },
                                           sensitivities: prior.parameters.map(\.id))
        parameterSlots = try prior.parameters.map { p in
            guard let k = compiled.inputIndex(of: p.id) else {
                throw TwinError.invalidPrior("parameter \(p.id) is not an input of the model")
            }
            return k
        }
        for e in prior.errors where !entry.observables.contains(where: { $0.id == e.observable }) {
            throw TwinError.invalidPrior("error model names unknown observable \(e.observable); \(prior.model) has \(entry.observables.map(\.id).joined(separator: ", "))")
        }
        name = prior.model
        self.prior = prior
        treatmentInputs = entry.treatmentInputs.map(\.id)
        timeUnit = entry.timeUnit
    }

    /// A simulation problem at scaled parameter values `x` (prior order) with the given output times and doses;
    /// with `sensitivities`, of the sensitivity-augmented model (outputs then include d output / d parameter).
    public func problem(at x: [Double], times: [Double], doses: [Dose] = [], sensitivities: Bool = false) -> SimulationProblem {
        var p = SimulationProblem(model: sensitivities ? self.sensitivities ?? compiled : compiled, outputTimes: times, doses: doses)
        for (i, slot) in parameterSlots.enumerated() { p.inputs[slot] = prior.parameters[i].modelValue(x[i]) }
        return p
    }

    /// Simulates each of `thetas` (scaled parameters, prior order) at `times` under `regimen` (settings and doses)
    /// through the ensemble path, with solver settings chosen by a pilot run at `pilot`, and reduces each result.
    func simulate<R>(_ thetas: [[Double]], times: [Double], regimen: Regimen?, pilot: [Double], threads: Int,
                     reduce: (Int, SimulationResult) -> R) throws -> [R] {
        let template = problem(at: thetas.first ?? priorMean, times: times, doses: try regimen?.doses(for: self) ?? [])
        let options = drawOptions(at: pilot, horizon: times.last ?? 0)
        return Ensemble.run(template: template, count: thetas.count, threads: threads, options: options, configure: { k, p in
            for (i, slot) in parameterSlots.enumerated() { p.inputs[slot] = prior.parameters[i].modelValue(thetas[k][i]) }
            if let regimen { try regimen.applySettings(to: &p) }
        }, reduce: reduce)
    }

    /// The prior means on the scale (the population's typical patient).
    public var priorMean: [Double] { prior.parameters.map(\.mean) }
}

/// Errors of the twin workflow, each naming what is wrong.
public enum TwinError: Error, CustomStringConvertible, Equatable, Sendable {
    case invalidPrior(String)
    case invalidData(String)
    case invalidRegimen(String)
    case fitFailed(String)
    case storage(String)

    public var description: String {
        switch self {
        case .invalidPrior(let m): "prior: \(m)"
        case .invalidData(let m): "data: \(m)"
        case .invalidRegimen(let m): "regimen: \(m)"
        case .fitFailed(let m): "fit failed: \(m)"
        case .storage(let m): "twin file: \(m)"
        }
    }
}
