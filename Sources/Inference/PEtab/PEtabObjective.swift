import Foundation
import ModelFormats
import ModelIR
import Simulation

/// The negative log-likelihood of a PEtab problem (plus its objective priors), as a function of the
/// estimated parameters on their PEtab scales.
///
/// For measurement `m` with simulated observable `h`, noise parameter `σ` and transformation `lin`, `log`
/// or `log10` (`ψ`), the term is, exactly as the `petab` library's `calculate_single_llh` defines it:
/// - normal: `½·log(2π σ² J²) + ½·((ψ(h) − ψ(m)) / σ)²`
/// - Laplace: `log(2 σ J) + |ψ(h) − ψ(m)| / σ`
///
/// where `J` is the Jacobian of the transformation at the measurement: 1 (lin), `m` (log), `m·ln 10` (log10).
/// Priors (`objectivePriorType`) add their negative log-density (on the parameter scale for the
/// `parameterScale…` kinds, otherwise on the linear scale).
///
/// Simulation: the model is compiled once; each pair (preequilibration, simulation condition) is one run.
/// Preequilibration runs the model under its condition until `|Δx_i| / Δt ≤ steadyStateTolerance · |x_i| +
/// 1e-12` for every state over a doubling interval, then the simulation condition starts from that state
/// (species the simulation condition sets are reset to its values). Measurements at `time = inf` use the
/// steady state of the simulation condition. A run that fails numerically makes the value `.infinity`.
///
/// - Complexity: one simulation per distinct condition pair per evaluation (plus steady-state runs).
public final class PEtabObjective: ObjectiveFunction {
    public let problem: PEtabProblem
    public let compiled: CompiledModel
    public let parameterNames: [String]
    public let lowerBounds: [Double]
    public let upperBounds: [Double]
    /// Solver settings of every simulation.
    public let options: SolverOptions
    /// Relative rate below which a run counts as at steady state (see the type's description).
    public let steadyStateTolerance: Double
    /// Whether `value(at:)` includes the priors' negative log-density (true by default).
    public let includesPriors: Bool
    /// The summed solver statistics of every simulation this objective has run (for cost reports).
    public let solverWork = SolverWorkTally()

    /// Parameter-table index of each estimated parameter, in `parameterNames` order.
    let estimated: [Int]
    /// Linear values of every parameter-table entry at the nominal point.
    let nominalTableValues: [Double]
    /// Input assignments of each condition, by condition index.
    let conditionInputs: [[InputAssignment]]
    let experiments: [Experiment]
    let terms: [MeasurementTerm]
    /// Whether every measurement has normal noise, so that the objective is `½ Σ r² + c` (least-squares form).
    let hasLeastSquaresForm: Bool
    /// Position in `parameterNames` of each estimated parameter-table entry.
    let positionOfTableEntry: [Int: Int]
    /// For each state of `compiled`, the output column holding it in its integrated representation.
    let stateColumns: [Int]
    /// The model compiled with forward sensitivities by `sensitivityInputs` (nil without gradients).
    let sensitivityModel: CompiledModel?
    /// The same for `sensitivityModel`'s states (model states, then sensitivities).
    let sensitivityStateColumns: [Int]
    /// Per condition, per estimated parameter: the sensitivity directions (index into
    /// `sensitivityModel.sensitivityInputs`) it drives, with d input / d parameter.
    let sensitivityDirections: [[[(direction: Int, factor: Double)]]]

    /// Builds the objective: compiles the model and resolves every condition, formula and override.
    /// - Throws: `PEtabObjectiveError` naming the element (with file and line for measurement rows),
    ///   `SimulationError` when the model cannot be compiled.
    ///   With `computesGradient` the model is compiled a second time with forward sensitivities by every input that
    ///   an estimated parameter sets (see `CompiledModel.init(_:outputs:sensitivities:)`).
    public init(_ problem: PEtabProblem, options: SolverOptions = SolverOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-12),
                steadyStateTolerance: Double = 1e-10, includesPriors: Bool = true, computesGradient: Bool = true) throws {
        self.problem = problem
        self.options = options
        self.steadyStateTolerance = steadyStateTolerance
        self.includesPriors = includesPriors
        let model = problem.model
        let table = model.symbolTable
        let parameterIndex = Dictionary(problem.parameters.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })

        // Outputs: every model entity the formulas use, then each state in its integrated representation.
        var symbolColumns: [String: Int] = [:]
        var requests: [OutputRequest] = []
        for o in problem.observables {
            for id in (o.formula.referencedSymbols.union(o.noiseFormula.referencedSymbols)).sorted()
            where symbolColumns[id] == nil && table[id] != nil && table[id] != .function && table[id] != .event {
                symbolColumns[id] = requests.count
                requests.append(.value(id))
            }
        }
        var stateRequest: [String: Int] = [:]
        for s in model.species {
            stateRequest[s.id] = requests.count
            requests.append(.amount(s.id))
        }
        for case .rate(let v, _) in model.rules where stateRequest[v] == nil {
            stateRequest[v] = requests.count
            requests.append(.value(v))
        }
        let compiled = try CompiledModel(model, outputs: requests)
        self.compiled = compiled
        stateColumns = try compiled.stateIds.map {
            guard let c = stateRequest[$0] else {
                throw PEtabObjectiveError.unsupported(feature: "state variable '\($0)' of an unexpected kind", context: problem.modelFile)
            }
            return c
        }

        estimated = problem.parameters.indices.filter { problem.parameters[$0].estimate }
        parameterNames = estimated.map { problem.parameters[$0].id }
        lowerBounds = estimated.map { problem.parameters[$0].scale.scale(problem.parameters[$0].lowerBound) }
        upperBounds = estimated.map { problem.parameters[$0].scale.scale(problem.parameters[$0].upperBound) }
        nominalTableValues = problem.parameters.map(\.nominalValue)

        conditionInputs = try problem.conditions.map {
            try PEtabObjective.inputAssignments(for: $0, problem: problem, compiled: compiled, parameterIndex: parameterIndex)
        }
        (experiments, terms) = try PEtabObjective.resolveMeasurements(problem, compiled: compiled, symbolColumns: symbolColumns,
                                                                        parameterIndex: parameterIndex)
        hasLeastSquaresForm = terms.allSatisfy { $0.distribution == .normal }
        let estimatedSet = Set(estimated)
        let driven = Set(conditionInputs.joined().compactMap { a -> Int? in
            if case .parameter(let k) = a.source, estimatedSet.contains(k) { return a.input }
            return nil
        }).sorted()
        let columns = stateColumns, estimatedIds = estimated
        if computesGradient {
            let augmented = try CompiledModel(model, outputs: requests, sensitivities: driven.map { compiled.inputIds[$0] })
            sensitivityModel = augmented
            let base = requests.count
            sensitivityStateColumns = columns + driven.indices.flatMap { q in columns.map { base + q * base + $0 } }
        } else {
            sensitivityModel = nil
            sensitivityStateColumns = []
        }
        let directionOfInput = Dictionary(driven.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let estimatedPosition = Dictionary(estimatedIds.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        positionOfTableEntry = estimatedPosition
        sensitivityDirections = conditionInputs.map { list in
            var last: [Int: InputAssignment] = [:]
            for a in list { last[a.input] = a }
            var out = [[(direction: Int, factor: Double)]](repeating: [], count: estimatedIds.count)
            for (input, a) in last.sorted(by: { $0.key < $1.key }) {
                guard case .parameter(let k) = a.source, let i = estimatedPosition[k], let q = directionOfInput[input] else { continue }
                let factor = a.compartmentInput.map { c in a.multiplies ? compiled.defaultInputs[c] : 1 / compiled.defaultInputs[c] } ?? 1
                out[i].append((q, factor))
            }
            return out
        }
    }

    /// The estimated parameters' nominal values on their scales (the point `twin fit --nominal` evaluates).
    public var nominalPoint: [Double] {
        estimated.map { problem.parameters[$0].scale.scale(problem.parameters[$0].nominalValue) }
    }

    /// The estimated parameters' values in `table` (its `nominalValue` column, linear as PEtab writes it) on
    /// this problem's scales: a start point from an earlier fit's `parameters.tsv` or another parameter table.
    /// - Throws: `InferenceInputError` naming `file` and the estimated parameter that `table` lacks, gives no
    ///   positive value on a log scale, or gives a value outside the problem's bounds.
    public func point(from table: [PEtabParameter], file: String) throws -> [Double] {
        let values = Dictionary(table.map { ($0.id, $0.nominalValue) }, uniquingKeysWith: { a, _ in a })
        return try estimated.map { k in
            let parameter = problem.parameters[k]
            guard let value = values[parameter.id], value.isFinite else {
                throw InferenceInputError(element: "\(file): \(parameter.id)", reason: "no finite nominalValue for this estimated parameter")
            }
            let scaled = parameter.scale.scale(value)
            guard scaled.isFinite else {
                throw InferenceInputError(element: "\(file): \(parameter.id)",
                                          reason: "nominalValue \(value) has no \(parameter.scale.rawValue) value")
            }
            guard value >= parameter.lowerBound && value <= parameter.upperBound else {
                throw InferenceInputError(element: "\(file): \(parameter.id)",
                                          reason: "nominalValue \(value) is outside the bounds [\(parameter.lowerBound), \(parameter.upperBound)]")
            }
            return scaled
        }
    }

    /// Linear values of every parameter-table entry at `x` (estimated entries from `x`, the others nominal).
    func tableValues(at x: [Double]) -> [Double] {
        var p = nominalTableValues
        for (i, k) in estimated.enumerated() { p[k] = problem.parameters[k].scale.unscale(x[i]) }
        return p
    }

    public func value(at x: [Double], gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        precondition(x.count == parameterCount, "expected \(parameterCount) parameters, got \(x.count)")
        if let gradient {
            guard let (v, g) = try? valueAndSensitivityGradient(at: x), v.isFinite else { return .infinity }
            for i in 0..<gradient.count { gradient[i] = g[i] }
            return v
        }
        let nll = negativeLogLikelihood(at: x)
        return includesPriors ? nll + priorNegativeLogDensity(at: x) : nll
    }

    /// The negative log-likelihood alone (what `petab.calculate_llh` returns, negated) at `x`.
    public func negativeLogLikelihood(at x: [Double]) -> Double {
        let p = tableValues(at: x)
        guard let runs = try? experiments.map({ try simulate($0, p) }) else { return .infinity }
        return negativeLogLikelihood(runs, tableValues: p)
    }

    /// Why the objective is infinite at `x`: for each experiment whose simulation fails, its condition id
    /// (`preequilibrationId:simulationId` when preequilibrated, as in `FitComparison`) and the simulation status
    /// (e.g. "virus_infection: blow-up of V at t = 3.2"); empty when all succeed.
    public func simulationFailures(at x: [Double]) -> [String] {
        let p = tableValues(at: x)
        return experiments.compactMap { e in
            let condition = (e.preequilibration.map { problem.conditions[$0].id + ":" } ?? "")
                + problem.conditions[e.simulation].id
            do {
                _ = try simulate(e, p)
                return nil
            } catch let failure as ExperimentFailure {
                return "\(condition): \(failure.status)"
            } catch {
                return "\(condition): \(error)"
            }
        }
    }

    /// The negative log-likelihood from runs of every experiment (plain or with sensitivities) at parameter-table
    /// values `p` (the runs may come from any point with the same model inputs).
    func negativeLogLikelihood(_ runs: [ExperimentRun], tableValues p: [Double]) -> Double {
        var total = 0.0
        for (e, run) in zip(experiments, runs) {
            for k in e.terms {
                let term = terms[k]
                let v = run.withUnsafeRow(term.row) { term.negativeLogLikelihood($0, p) }
                guard v.isFinite else { return .infinity }
                total += v
            }
        }
        return total
    }

    /// The priors' negative log-density at `x` (0 when the problem has no objective priors).
    public func priorNegativeLogDensity(at x: [Double]) -> Double {
        var total = 0.0
        for (i, k) in estimated.enumerated() {
            guard let prior = problem.parameters[k].prior else { continue }
            total += prior.negativeLogDensity(scaled: x[i], scale: problem.parameters[k].scale)
        }
        return total
    }
}
