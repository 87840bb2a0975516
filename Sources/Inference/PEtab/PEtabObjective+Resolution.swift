import ModelFormats
import ModelIR
import Simulation

/// One model input set from a number or a parameter-table entry, before a simulation.
struct InputAssignment: Sendable {
    enum Source: Sendable {
        case number(Double)
        case parameter(Int)
    }
    var input: Int
    var source: Source
    /// For species values given as concentration but stored as amount (or the reverse): the compartment's
    /// input, and whether to multiply (else divide) by its size.
    var compartmentInput: Int?
    var multiplies = true

    func apply(_ p: [Double], to inputs: inout [Double]) {
        var v: Double
        switch source {
        case .number(let x): v = x
        case .parameter(let k): v = p[k]
        }
        if let c = compartmentInput { v = multiplies ? v * inputs[c] : v / inputs[c] }
        inputs[input] = v
    }
}

/// One simulation: a (preequilibration, simulation) condition pair and the measurements it serves.
struct Experiment: Sendable {
    var preequilibration: Int?
    var simulation: Int
    /// Sorted distinct finite measurement times.
    var times: [Double]
    /// Whether some measurement is at steady state (time inf); its row is `times.count`.
    var hasSteadyState: Bool
    /// For each state: true when the simulation condition sets it (so it does not take the preequilibrated value).
    var setBySimulationCondition: [Bool]
    /// Indices into the objective's `terms`.
    var terms: [Int]
}

/// One measurement with its formulas resolved for its row's overrides.
struct MeasurementTerm: Sendable {
    var measurement: Double
    var time: Double
    /// Output row in the experiment's run.
    var row: Int
    var observable: ResolvedExpression
    var noise: ResolvedExpression
    var transformation: PEtabTransformation
    var distribution: PEtabNoiseDistribution
    /// Symbolic derivatives of `observable` and `noise` by the output columns and parameter-table entries
    /// they use (for the gradient).
    var observableDerivatives: [(slot: ResolvedExpression, derivative: ResolvedExpression)]
    var noiseDerivatives: [(slot: ResolvedExpression, derivative: ResolvedExpression)]
}

extension PEtabObjective {
    /// The input assignments for `condition`: parameter-table values of model parameters, then the overrides.
    static func inputAssignments(for condition: PEtabCondition, problem: PEtabProblem, compiled: CompiledModel,
                                 parameterIndex: [String: Int]) throws -> [InputAssignment] {
        let model = problem.model
        let table = model.symbolTable
        var list: [InputAssignment] = []
        for (k, parameter) in problem.parameters.enumerated() {
            guard let kind = table[parameter.id], kind == .parameter || kind == .compartment,
                  let i = compiled.inputIndex(of: parameter.id) else { continue }
            list.append(InputAssignment(input: i, source: .parameter(k)))
        }
        let context = "condition '\(condition.id)'"
        var speciesAssignments: [InputAssignment] = []
        let assigned = Set(model.initialAssignments.map(\.symbol)).union(model.rules.compactMap(\.variable))
        for (target, value) in condition.overrides {
            guard let value else { continue }
            let source: InputAssignment.Source
            switch value {
            case .number(let x): source = .number(x)
            case .parameter(let id):
                guard let k = parameterIndex[id] else {
                    throw PEtabObjectiveError.unknownSymbol(id: id, context: "\(context), column '\(target)'")
                }
                source = .parameter(k)
            }
            guard let kind = table[target], let input = compiled.inputIndex(of: target) else {
                throw PEtabObjectiveError.unknownTarget(id: target, context: context)
            }
            if assigned.contains(target) {
                throw PEtabObjectiveError.unsupported(
                    feature: "overriding '\(target)', which an initial assignment or rule defines", context: context)
            }
            switch kind {
            case .parameter, .compartment:
                list.append(InputAssignment(input: input, source: source))
            case .species:
                let s = model.species.first { $0.id == target }!
                var a = InputAssignment(input: input, source: source)
                let givenAsAmount = s.initialConcentration == nil
                if givenAsAmount != s.hasOnlySubstanceUnits {
                    guard let c = compiled.inputIndex(of: s.compartment), !assigned.contains(s.compartment) else {
                        throw PEtabObjectiveError.unsupported(
                            feature: "species '\(target)' in a compartment whose size is computed", context: context)
                    }
                    a.compartmentInput = c
                    a.multiplies = givenAsAmount
                }
                speciesAssignments.append(a)
            default:
                throw PEtabObjectiveError.unknownTarget(id: target, context: context)
            }
        }
        return list + speciesAssignments
    }

    /// Groups measurements into experiments and resolves each measurement's formulas.
    static func resolveMeasurements(_ problem: PEtabProblem, compiled: CompiledModel, symbolColumns: [String: Int],
                                    parameterIndex: [String: Int]) throws -> ([Experiment], [MeasurementTerm]) {
        let conditionIndex = Dictionary(problem.conditions.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let observables = Dictionary(problem.observables.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var experimentIndex: [String: Int] = [:]
        var experiments: [Experiment] = []
        var pending: [(experiment: Int, measurement: Int)] = []
        for (k, m) in problem.measurements.enumerated() {
            let key = (m.preequilibrationConditionId ?? "") + "\u{1}" + m.simulationConditionId
            let e: Int
            if let existing = experimentIndex[key] { e = existing } else {
                e = experiments.count
                experimentIndex[key] = e
                let simulation = conditionIndex[m.simulationConditionId]!
                let sets = Set(problem.conditions[simulation].overrides.compactMap { $0.value == nil ? nil : $0.target })
                experiments.append(Experiment(preequilibration: m.preequilibrationConditionId.map { conditionIndex[$0]! },
                                              simulation: simulation, times: [], hasSteadyState: false,
                                              setBySimulationCondition: compiled.stateIds.map { sets.contains($0) }, terms: []))
            }
            if m.time.isFinite { experiments[e].times.append(m.time) } else { experiments[e].hasSteadyState = true }
            pending.append((e, k))
        }
        for e in experiments.indices { experiments[e].times = Array(Set(experiments[e].times)).sorted() }

        var terms: [MeasurementTerm] = []
        for (e, k) in pending {
            let m = problem.measurements[k]
            let o = observables[m.observableId]!
            let context = "\(m.file):\(m.line)"
            func symbol(_ placeholders: String, _ values: [PEtabValue]) -> (String) throws -> ResolvedExpression? {
                { id in
                    let prefix = placeholders + "Parameter"
                    if id.hasPrefix(prefix), id.hasSuffix("_" + o.id),
                       let n = Int(id.dropFirst(prefix.count).dropLast(o.id.count + 1)) {
                        guard n >= 1, n <= values.count else {
                            throw PEtabObjectiveError.missingOverride(placeholder: id, context: context)
                        }
                        switch values[n - 1] {
                        case .number(let x): return .constant(x)
                        case .parameter(let pid):
                            guard let j = parameterIndex[pid] else {
                                throw PEtabObjectiveError.unknownSymbol(id: pid, context: "\(context), column '\(placeholders)Parameters'")
                            }
                            return .parameter(j)
                        }
                    }
                    if let c = symbolColumns[id] { return .output(c) }
                    if let j = parameterIndex[id] { return .parameter(j) }
                    return nil
                }
            }
            let observable = try resolve(o.formula, context: "\(context): observable '\(o.id)'", symbol("observable", m.observableParameters))
            let noise = try resolve(o.noiseFormula, context: "\(context): noise formula of '\(o.id)'", symbol("noise", m.noiseParameters))
            let row = m.time.isFinite ? experiments[e].times.firstIndex(of: m.time)! : experiments[e].times.count
            experiments[e].terms.append(terms.count)
            terms.append(MeasurementTerm(measurement: m.value, time: m.time, row: row, observable: observable.value, noise: noise.value,
                                         transformation: o.transformation, distribution: o.distribution,
                                         observableDerivatives: observable.derivatives, noiseDerivatives: noise.derivatives))
        }
        return (experiments, terms)
    }

    /// Resolves `formula` and its derivatives by each symbol it uses (the slot is that symbol's resolution).
    private static func resolve(_ formula: MathExpression, context: String, _ symbol: (String) throws -> ResolvedExpression?)
        throws -> (value: ResolvedExpression, derivatives: [(slot: ResolvedExpression, derivative: ResolvedExpression)]) {
        var resolved: [String: ResolvedExpression] = [:]
        for id in formula.referencedSymbols {
            guard let r = try symbol(id) else { throw PEtabObjectiveError.unknownSymbol(id: id, context: context) }
            resolved[id] = r
        }
        let value = try ResolvedExpression(formula, context: context) { resolved[$0] }
        var derivatives: [(ResolvedExpression, ResolvedExpression)] = []
        for id in formula.referencedSymbols.sorted() {
            let slot = resolved[id]!
            if case .constant = slot { continue }
            let d = try formula.derivative(withRespectTo: id).simplified()
            if d.isZero { continue }
            derivatives.append((slot, try ResolvedExpression(d, context: context) { resolved[$0] }))
        }
        return (value, derivatives)
    }
}
