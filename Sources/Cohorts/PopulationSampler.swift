import LinearAlgebra
import Sampling

/// One virtual patient: covariate values and the values of every varied or covariate-mapped parameter.
public struct VirtualPatient: Sendable, Equatable {
    /// Covariate values in `PopulationSampler.covariateNames` order (binary covariates are 0 / 1).
    public var covariates: [Double]
    /// Parameter values in `PopulationSampler.parameterIds` order.
    public var parameters: [Double]
}

/// Draws virtual patients from a `PopulationSpec`, reproducibly: patient `index`'s draws depend only on
/// (seed, index, purpose) — never on the thread, shard or order in which patients are drawn.
///
/// Order of operations per patient: standard normal draws for the varied parameters (stream purpose
/// `purpose`), correlated by the Cholesky factor, mapped through each marginal; covariates from the stream
/// `purpose + "/covariates"`; then the effects in the order given, each formula seeing the covariates and the
/// current parameter values (later effects see earlier ones' results).
public struct PopulationSampler: Sendable {
    /// Names of the covariates, in order.
    public let covariateNames: [String]
    /// Ids of the parameters a patient carries: the varied ones, then effect targets not varied.
    public let parameterIds: [String]
    private let spec: PopulationSpec
    private let cholesky: CholeskyFactor?
    private let effects: [(target: Int, formula: Formula)]
    /// Slot layout of effect formulas: covariates, then parameterIds, then other model inputs.
    private let defaultSlots: [Double]

    /// - Parameters:
    ///   - spec: the population.
    ///   - inputs: the model's input ids and default values (what the effects' formulas may also use).
    /// - Throws: `CohortError` naming an unknown parameter, an unknown symbol in an effect, a duplicate or an
    ///   invalid correlation.
    public init(_ spec: PopulationSpec, inputIds: [String], defaultInputs: [Double]) throws {
        self.spec = spec
        covariateNames = spec.covariates.map(\.name)
        let known = Set(inputIds)
        var ids = [String]()
        for p in spec.parameters {
            guard known.contains(p.id) else { throw CohortError.unknownParameter(p.id) }
            guard !ids.contains(p.id) else { throw CohortError.invalidDistribution("\(p.id) is given more than one distribution") }
            ids.append(p.id)
        }
        for e in spec.effects where !ids.contains(e.parameter) {
            guard known.contains(e.parameter) else { throw CohortError.unknownParameter(e.parameter) }
            ids.append(e.parameter)
        }
        parameterIds = ids
        let others = zip(inputIds, defaultInputs).filter { !ids.contains($0.0) }
        let slots = covariateNames + ids + others.map(\.0)
        defaultSlots = [Double](repeating: .nan, count: covariateNames.count)
            + ids.map { id in defaultInputs[inputIds.firstIndex(of: id)!] } + others.map(\.1)
        effects = try spec.effects.map { e in
            (ids.firstIndex(of: e.parameter)!, try Formula(e.formula, slots: slots, context: "the formula for \(e.parameter)"))
        }
        if spec.correlations.isEmpty {
            cholesky = nil
        } else {
            let n = spec.parameters.count
            var matrix = [Double](repeating: 0, count: n * n)
            for i in 0..<n { matrix[i * n + i] = 1 }
            var seen = Set<String>()
            for c in spec.correlations {
                guard let i = spec.parameters.firstIndex(where: { $0.id == c.first }) else {
                    throw CohortError.invalidCorrelation("\(c.first) has no distribution in the population")
                }
                guard let j = spec.parameters.firstIndex(where: { $0.id == c.second }) else {
                    throw CohortError.invalidCorrelation("\(c.second) has no distribution in the population")
                }
                guard i != j else { throw CohortError.invalidCorrelation("\(c.first) is correlated with itself") }
                let key = [c.first, c.second].sorted().joined(separator: "|")
                guard seen.insert(key).inserted else {
                    throw CohortError.invalidCorrelation("the correlation of \(c.first) and \(c.second) is given twice")
                }
                matrix[i * n + j] = c.value
                matrix[j * n + i] = c.value
            }
            cholesky = try CholeskyFactor(correlation: matrix, size: n, names: spec.parameters.map(\.id))
        }
    }

    /// The patient with key (seed, index, purpose). The default purpose is "population"; a rejected candidate
    /// is redrawn with another purpose (e.g. "population#1").
    public func draw(seed: UInt64, index: Int, purpose: String = "population") -> VirtualPatient {
        var rng = RandomStream(seed: seed, index: index, purpose: purpose)
        var z = spec.parameters.map { _ in rng.nextNormal() }
        cholesky?.multiplyLower(&z)
        var covariates = [Double]()
        covariates.reserveCapacity(spec.covariates.count)
        var crng = RandomStream(seed: seed, index: index, purpose: purpose + "/covariates")
        for c in spec.covariates {
            switch c.kind {
            case .continuous(let d): covariates.append(d.value(fromStandardNormal: crng.nextNormal()))
            case .binary(let p, _, _): covariates.append(crng.nextUniform() < p ? 1 : 0)
            }
        }
        var parameters = Array(defaultSlots[covariates.count..<(covariates.count + parameterIds.count)])
        for (k, p) in spec.parameters.enumerated() { parameters[k] = p.distribution.value(fromStandardNormal: z[k]) }
        if !effects.isEmpty {
            var slots = defaultSlots
            for k in covariates.indices { slots[k] = covariates[k] }
            for k in parameters.indices { slots[covariates.count + k] = parameters[k] }
            for (target, formula) in effects {
                let v = formula.evaluate(slots)
                parameters[target] = v
                slots[covariates.count + target] = v
            }
        }
        return VirtualPatient(covariates: covariates, parameters: parameters)
    }
}
