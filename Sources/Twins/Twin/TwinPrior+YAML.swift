import Cohorts
import Foundation
import Trials
import Yams

extension IndividualParameter {
    /// The prior of a population distribution (the cohort module's): log-normal → normal on ln θ with mean
    /// ln(median) and SD √ln(1+CV²); normal → the same normal. Truncation bounds become bounds on the scale.
    /// - Throws: `TwinError.invalidPrior` for a uniform distribution (no Gaussian prior to use for the Laplace
    ///   approximation: describe it as a truncated normal instead).
    public init(id: String, distribution d: PopulationDistribution) throws {
        switch d.shape {
        case .logNormal(let median, let cv):
            let sd = PopulationDistribution.sigma(cv: cv)
            self.init(id: id, scale: .log, mean: log(median), sd: sd,
                      lower: d.lower.map { max(log(max($0, .leastNormalMagnitude)), log(median) - 6 * sd) },
                      upper: d.upper.map { min(log($0), log(median) + 6 * sd) })
        case .normal(let mean, let sd):
            self.init(id: id, scale: .linear, mean: mean, sd: sd, lower: d.lower.map { max($0, mean - 6 * sd) },
                      upper: d.upper.map { min($0, mean + 6 * sd) })
        case .uniform:
            throw TwinError.invalidPrior("\(id): a uniform population distribution has no Gaussian form for the twin's prior; use normal or lognormal (optionally truncated)")
        }
    }
}

extension TwinPrior {
    /// Reads a twin prior. Two forms are accepted:
    ///
    /// 1. A prior spec, whose `parameters` use the trial spec's distribution syntax:
    /// ```yaml
    /// model: baccam2006            # a built-in model
    /// parameters:                  # optional: defaults to the library's population variability
    ///   beta: {distribution: lognormal, median: 3.2e-5, cv: 0.5}
    ///   tzero: {distribution: normal, mean: 0, sd: 2, lower: -6, upper: 6}
    /// errors:                      # additive measurement SD per observable, on the observable's scale
    ///   log10_titre: 0.5
    /// ```
    /// 2. A trial spec (`twin trial run` format, recognised by its `arms`): its model and `population.parameters`
    ///    are the prior, and every clinical observable gets the error SD `defaultErrorSD`.
    ///
    /// Unknown keys, missing values and impossible ones are errors naming the line.
    public static func read(yaml: String, file: String = "<prior>", defaultErrorSD: Double = 0.5) throws -> TwinPrior {
        func fail(_ node: Node?, _ message: String) -> TwinError {
            .invalidPrior("\(file):\(node?.mark?.line ?? 0): \(message)")
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else { throw fail(nil, "empty prior file") }
            root = node
        } catch let e as TwinError { throw e } catch { throw fail(nil, "not valid YAML: \(error)") }
        guard let top = root.mapping else { throw fail(root, "expected a mapping") }
        if top["arms"] != nil {
            let spec: TrialSpec
            do { spec = try TrialSpec.parse(yaml, file: file) } catch { throw TwinError.invalidPrior("\(error)") }
            var prior = try TwinPrior.fromLibrary(spec.model, errorSD: defaultErrorSD)
            prior.parameters = try spec.population.parameters.map { try IndividualParameter(id: $0.id, distribution: $0.distribution) }
            _ = try PatientModel(prior: prior)
            return prior
        }
        for (k, _) in top where !["model", "parameters", "errors"].contains(k.string ?? "") {
            throw fail(k, "unknown key '\(k.string ?? "?")'; expected model, parameters, errors")
        }
        guard let model = top["model"]?.string, !model.isEmpty else { throw fail(root, "'model' (a built-in model name) is required") }
        var prior: TwinPrior
        do { prior = try TwinPrior.fromLibrary(model, errorSD: defaultErrorSD) } catch { throw fail(top["model"], "\(error)") }
        func number(_ m: Node.Mapping, _ key: String) throws -> Double? {
            guard let node = m[key] else { return nil }
            guard let s = node.string, let v = Double(s), v.isFinite else { throw fail(node, "'\(key)' must be a finite number") }
            return v
        }
        if let list = top["parameters"] {
            guard let m = list.mapping, !m.isEmpty else { throw fail(list, "'parameters' must map ids to distributions") }
            prior.parameters = try m.map { key, value in
                let id = key.string ?? ""
                guard let d = value.mapping else { throw fail(value, "\(id): expected {distribution: ..., ...}") }
                let kind = d["distribution"]?.string
                let allowed: [String]
                switch kind {
                case "lognormal": allowed = ["distribution", "median", "cv", "lower", "upper"]
                case "normal": allowed = ["distribution", "mean", "sd", "lower", "upper"]
                default: throw fail(d["distribution"] ?? value, "\(id): distribution must be lognormal or normal")
                }
                for (k, _) in d where !allowed.contains(k.string ?? "") { throw fail(k, "\(id): unknown key '\(k.string ?? "?")' for a \(kind!)") }
                func need(_ key: String) throws -> Double {
                    guard let v = try number(d, key) else { throw fail(value, "\(id): missing '\(key)'") }
                    return v
                }
                let shape: PopulationDistribution.Shape = kind == "lognormal"
                    ? .logNormal(median: try need("median"), cv: try need("cv")) : .normal(mean: try need("mean"), sd: try need("sd"))
                let distribution: PopulationDistribution
                do {
                    distribution = try PopulationDistribution(shape, lower: try number(d, "lower"), upper: try number(d, "upper"))
                } catch { throw fail(value, "\(id): \(error)") }
                return try IndividualParameter(id: id, distribution: distribution)
            }
        }
        if let errors = top["errors"] {
            guard let m = errors.mapping else { throw fail(errors, "'errors' must map observables to SDs") }
            prior.errors = try m.map { k, v in
                guard let s = v.string, let sd = Double(s), sd > 0, sd.isFinite else { throw fail(v, "error SD of \(k.string ?? "?") must be positive") }
                return ErrorModel(observable: k.string ?? "", sd: sd)
            }
        }
        do { _ = try PatientModel(prior: prior) } catch { throw fail(root, "\(error)") }
        return prior
    }
}
