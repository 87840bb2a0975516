import Cohorts
import Foundation
import ModelIR
import Simulation

/// A trial spec checked against its model and compiled: everything the runner needs, resolved to indices.
///
/// ```swift
/// let spec = try TrialSpec.parse(text, file: "trial.yaml")
/// let plan = try TrialPlan(spec, specText: text, directory: specFolderURL)
/// let result = try TrialRunner(plan: plan).run()
/// ```
public final class TrialPlan: Sendable {
    public let spec: TrialSpec
    /// FNV-1a 64-bit hash of the spec text (provenance; merge refuses shards of different specs).
    public let specHash: String
    /// The spec text as given (copied into the output folder).
    public let specText: String
    public let compiled: CompiledModel
    public let sampler: PopulationSampler
    /// Output times: the follow-up grid plus every endpoint and criterion time.
    public let grid: [Double]
    /// The number of patients simulated (the largest sample size).
    public var patientCount: Int { spec.sampleSizes.last! }

    let parameterInputs: [Int]
    let eventColumns: [Int]
    let endpoints: [EndpointRule]
    let regimens: [[ResolvedDose]]
    let baselineRules: [(formula: Formula, exclude: Bool)]
    let observableCriteria: [(column: Int, row: Int, threshold: Double, above: Bool, exclude: Bool)]
    let selectionColumns: [(column: Int, row: Int)]
    let trajectoryColumn: Int?
    /// True when a patient must be simulated untreated before the arms (criteria, selection, event-relative doses).
    let needsScreening: Bool

    /// - Parameters:
    ///   - spec: the parsed spec.
    ///   - specText: its text (hashed for provenance).
    ///   - directory: the folder model paths are relative to.
    /// - Throws: `TrialError` naming the spec line of an unknown parameter, observable or dose target, an
    ///   invalid correlation, or a model that does not compile.
    public init(_ spec: TrialSpec, specText: String, directory: URL? = nil) throws {
        self.spec = spec
        self.specText = specText
        specHash = fnv1a(specText)
        var tm = try TrialModel(spec: spec, directory: directory)

        var grid = SimulationProblem.grid(from: spec.followUp.start, to: spec.followUp.end, points: spec.followUp.points)
        for e in spec.endpoints {
            switch e.kind {
            case .value(_, let t): grid.append(t)
            case .auc(_, let a, let b), .peak(_, let a, let b): grid += [a, b]
            default: break
            }
        }
        for c in spec.inclusion + spec.exclusion { if case .observable(_, let t, _, _) = c.kind { grid.append(t) } }
        for t in spec.selection?.targets ?? [] { grid.append(t.time) }
        for c in spec.inclusion + spec.exclusion {
            if case .observable(_, let t, _, _) = c.kind, t < spec.followUp.start || t > spec.followUp.end {
                throw c.location.error("criterion time \(t) is outside the follow-up")
            }
        }
        grid = Array(Set(grid)).sorted()
        self.grid = grid
        func row(_ t: Double) -> Int { grid.firstIndex(of: t)! }

        eventColumns = try spec.events.map {
            try tm.firstTime(named: "__event_" + $0.name, observable: $0.observable, threshold: $0.threshold, above: $0.above,
                             after: -Double.greatestFiniteMagnitude, at: $0.location)
        }
        var rules: [EndpointRule] = []
        for e in spec.endpoints {
            switch e.kind {
            case .value(let obs, let t):
                rules.append(.value(column: try tm.observable(obs, at: e.location), row: row(t)))
            case .auc(let obs, let a, let b):
                rules.append(.auc(column: try tm.integral(named: "__auc_" + e.name, observable: obs, at: e.location), from: row(a), to: row(b)))
            case .peak(let obs, let a, let b):
                rules.append(.peak(column: try tm.observable(obs, at: e.location), from: row(a), to: row(b)))
            case .timeTo(let obs, let threshold, let above, let after):
                rules.append(.timeTo(column: try tm.firstTime(named: "__tte_" + e.name, observable: obs, threshold: threshold,
                                                              above: above, after: after, at: e.location)))
            case .responder:
                rules.append(.responder(nil))
            }
        }
        var criteria: [(Int, Int, Double, Bool, Bool)] = []
        for (c, exclude) in spec.inclusion.map({ ($0, false) }) + spec.exclusion.map({ ($0, true) }) {
            if case .observable(let id, let t, let threshold, let above) = c.kind {
                criteria.append((try tm.observable(id, at: c.location), row(t), threshold, above, exclude))
            }
        }
        observableCriteria = criteria.map { (column: $0.0, row: $0.1, threshold: $0.2, above: $0.3, exclude: $0.4) }
        selectionColumns = try (spec.selection?.targets ?? []).map { (column: try tm.observable($0.observable, at: $0.location), row: row($0.time)) }
        trajectoryColumn = try spec.trajectory.map { try tm.observable($0.observable, at: $0.location) }

        let compiled: CompiledModel
        do {
            compiled = try CompiledModel(tm.model, outputs: tm.outputs)
        } catch {
            throw spec.modelLocation.error("the model with the trial's outputs does not compile: \(error)")
        }
        self.compiled = compiled
        let sampler: PopulationSampler
        do {
            sampler = try PopulationSampler(spec.population, inputIds: compiled.inputIds, defaultInputs: compiled.defaultInputs)
        } catch let error as CohortError {
            let location: SpecLocation?
            switch error {
            case .unknownParameter(let id): location = spec.populationLocations[id] ?? spec.populationLocations["effect:\(id)"]
            case .unknownSymbol(let id, _): location = spec.population.effects.lazy.compactMap { e in
                    e.formula.referencedSymbols.contains(id) ? spec.populationLocations["effect:\(e.parameter)"] : nil }.first
            case .invalidCorrelation: location = spec.populationLocations["correlation:0"]
            default: location = nil
            }
            throw (location ?? spec.modelLocation).error("population: \(error)")
        }
        self.sampler = sampler
        parameterInputs = sampler.parameterIds.map { compiled.inputIndex(of: $0)! }
        let inputIds = compiled.inputIds
        let otherInputs = zip(inputIds, compiled.defaultInputs).filter { !sampler.parameterIds.contains($0.0) }.map(\.0)
        let baselineSlots = sampler.covariateNames + sampler.parameterIds + otherInputs
        baselineRules = try (spec.inclusion.map { ($0, false) } + spec.exclusion.map { ($0, true) }).compactMap { c, exclude in
            guard case .rule(let e) = c.kind else { return nil }
            do {
                return (try Formula(e, slots: baselineSlots, context: exclude ? "an exclusion rule" : "an inclusion rule"), exclude)
            } catch {
                throw c.location.error("\(error)")
            }
        }
        var endpointSlots = sampler.covariateNames + sampler.parameterIds
        for (k, e) in spec.endpoints.enumerated() {
            if case .responder(let rule) = e.kind {
                do {
                    rules[k] = .responder(try Formula(rule, slots: endpointSlots, context: "the rule of \(e.name)"))
                } catch {
                    throw e.location.error("\(error) (a rule may use covariates, population parameters and earlier endpoints)")
                }
            }
            endpointSlots.append(e.name)
            if e.isTimeToEvent { endpointSlots.append(e.name + "_event") }
        }
        endpoints = rules

        regimens = try spec.arms.map { arm in
            try arm.regimen.map { item in
                let probe = SimulationProblem(model: compiled, outputTimes: [spec.followUp.end], startTime: spec.followUp.start,
                                              doses: ResolvedDose(item, event: nil, restore: 0).doses(reference: 0, patientValue: 0))
                do {
                    try probe.validate()
                } catch {
                    throw item.location.error("arm '\(arm.name)': \(error)")
                }
                return ResolvedDose(item, event: item.relativeTo.flatMap { r in spec.events.firstIndex { $0.name == r } },
                                    restore: compiled.inputIndex(of: item.target))
            }
        }
        needsScreening = !observableCriteria.isEmpty || spec.selection != nil || regimens.joined().contains { $0.event != nil }
    }

    /// Column names of the endpoint values in a patient row (time-to-event endpoints have `NAME_event` too).
    public var endpointColumns: [String] {
        spec.endpoints.flatMap { $0.isTimeToEvent ? [$0.name, $0.name + "_event"] : [$0.name] }
    }
}

/// FNV-1a 64-bit hash of the UTF-8 bytes, as 16 hex digits.
func fnv1a(_ text: String) -> String {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in text.utf8 {
        h ^= UInt64(b)
        h = h &* 0x100_0000_01B3
    }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
